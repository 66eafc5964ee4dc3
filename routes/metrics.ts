/**
 * GET /metrics in Prometheus text format. With MADOGUCHI_METRICS_TOKEN set, only with
 * `Authorization: Bearer <token>`; without it, only from the machine itself (a loopback socket
 * peer and no X-Forwarded-For, so a reverse proxy on the same host does not expose it). 404
 * otherwise, as if there were nothing here.
 */
import { Hono } from "hono";
import { getConnInfo } from "hono/deno";
import { metrics } from "../obs/metrics.ts";
import { countOutboxByStatus } from "../db/outbox.ts";
import type { AppEnv, Ctx } from "./state.ts";

function isLoopback(address: string | undefined): boolean {
  return !!address &&
    (/^127\./.test(address) || address === "::1" || /^::ffff:127\./.test(address));
}

function sameText(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

function allowed(c: Ctx): boolean {
  const token = c.get("deps").config.metricsToken;
  if (token) {
    const given = /^Bearer (.+)$/.exec(c.req.header("authorization") ?? "")?.[1] ?? "";
    return sameText(given, token);
  }
  if (c.req.header("x-forwarded-for")) return false;
  try {
    return isLoopback(getConnInfo(c).remote.address);
  } catch {
    return false;
  }
}

/** Routes: GET /metrics. */
export function metricsRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    if (!allowed(c)) return c.notFound();
    const outbox = await countOutboxByStatus(c.get("deps").store.db);
    const body = metrics.render(
      Object.entries(outbox).map(([status, value]) => ({
        name: "madoguchi_outbox_items",
        help: "Outbound mail in the outbox not yet sent, by status",
        labels: { status },
        value,
      })),
    );
    return c.body(body, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  return app;
}
