/** Counts every HTTP request and its latency for /metrics (domain/metrics.ts). */
import type { MiddlewareHandler } from "hono";
import { metrics } from "../../obs/metrics.ts";

/** Request count by method and status class, and the latency histogram. */
export function requestMetrics(): MiddlewareHandler {
  return async function countRequest(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const status = `${Math.floor(c.res.status / 100)}xx`;
      const method = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].includes(c.req.method)
        ? c.req.method
        : "OTHER";
      metrics.inc("madoguchi_http_requests_total", { method, status });
      metrics.observe(
        "madoguchi_http_request_duration_seconds",
        {},
        (performance.now() - started) / 1000,
      );
    }
  };
}
