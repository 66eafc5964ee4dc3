/**
 * GET /healthz: database (readable and writable) and SMTP listener state; 503 when any is not.
 * The write probe commits one tiny row, at most once per PROBE_INTERVAL_MS (the result is cached,
 * concurrent checks share one probe), so a monitor polling every second costs little.
 */
import { Hono } from "hono";
import type { AppEnv } from "./state.ts";
import type { Store } from "../db/client.ts";
import { checkDatabaseReads, probeDatabaseWrite } from "../db/health.ts";

/** How long a write probe's answer is reused. */
export const PROBE_INTERVAL_MS = 5_000;
/** A probe stuck behind the writer queue this long counts as a failure. */
const PROBE_TIMEOUT_MS = 3_000;

interface Probe {
  at: number;
  result: Promise<boolean>;
}
const probes = new WeakMap<Store, Probe>();

/** Whether the database took a write recently (cached); logs the driver's error, never shows it. */
function writable(store: Store, now: number): Promise<boolean> {
  const cached = probes.get(store);
  if (cached && now - cached.at < PROBE_INTERVAL_MS) return cached.result;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("write probe timed out")), PROBE_TIMEOUT_MS);
  });
  const result = Promise.race([store.writeTx((tx) => probeDatabaseWrite(tx, now)), timeout]).then(
    () => true,
    (e) => {
      console.error("healthz: database write probe failed", e);
      return false;
    },
  ).finally(() => clearTimeout(timer));
  probes.set(store, { at: now, result });
  return result;
}

/** Routes: GET /healthz. */
export function healthRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const { store, smtpStatus, now } = c.get("deps");
    let db: { ok: boolean; writable?: boolean; error?: string };
    try {
      await checkDatabaseReads(store.db);
      db = await writable(store, (now ?? Date.now)())
        ? { ok: true, writable: true }
        : { ok: false, writable: false, error: "database not writable" };
    } catch (e) {
      // The page is public: the driver's text (paths, hosts, SQL) goes to the log only.
      console.error("healthz: database check failed", e);
      db = { ok: false, error: "database unavailable" };
    }
    const smtp = smtpStatus?.() ?? null;
    const ok = db.ok && (smtp === null || smtp.listening);
    return c.json({ ok, db, smtp }, ok ? 200 : 503);
  });
  return app;
}
