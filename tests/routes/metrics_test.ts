/** GET /metrics: Prometheus text, counted by the HTTP middleware; closed without the token. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { Metrics, metrics } from "../../obs/metrics.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";
import { at, startDesk } from "../automation_helpers.ts";
import { saveAfterHoursPolicy } from "../../db/after_hours.ts";
import { DEFAULT_AFTER_HOURS_POLICY } from "../../domain/after_hours.ts";

Deno.test("metrics: counters and the histogram render in Prometheus text format", () => {
  const m = new Metrics();
  m.inc("madoguchi_mail_received_total", { result: "created" });
  m.inc("madoguchi_mail_received_total", { result: "created" });
  m.observe("madoguchi_http_request_duration_seconds", {}, 0.02);
  const text = m.render([{
    name: "madoguchi_outbox_items",
    help: "x",
    labels: { status: "queued" },
    value: 3,
  }]);
  assert.match(text, /^# TYPE madoguchi_mail_received_total counter$/m);
  assert.match(text, /^madoguchi_mail_received_total\{result="created"\} 2$/m);
  assert.match(text, /^madoguchi_http_request_duration_seconds_bucket\{le="0.01"\} 0$/m);
  assert.match(text, /^madoguchi_http_request_duration_seconds_bucket\{le="0.025"\} 1$/m);
  assert.match(text, /^madoguchi_http_request_duration_seconds_bucket\{le="\+Inf"\} 1$/m);
  assert.match(text, /^madoguchi_http_request_duration_seconds_count 1$/m);
  assert.match(text, /^madoguchi_outbox_items\{status="queued"\} 3$/m);
});

Deno.test("metrics: /metrics needs the bearer token (or a loopback client) and counts requests", async () => {
  const db = await tempStore();
  try {
    const config = testConfig(db.dir, { MADOGUCHI_METRICS_TOKEN: "s3cret-token" });
    const app = createApp({ store: db.store, config, outbox: { wake() {} } });
    const before = metrics.value("madoguchi_http_requests_total", { method: "GET", status: "2xx" });
    await app.request("http://localhost/healthz");
    assert.equal((await app.request("http://localhost/metrics")).status, 404);
    const wrong = await app.request("http://localhost/metrics", {
      headers: { authorization: "Bearer nope" },
    });
    assert.equal(wrong.status, 404);
    const res = await app.request("http://localhost/metrics", {
      headers: { authorization: "Bearer s3cret-token" },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    assert.match(text, /^madoguchi_outbox_items\{status="queued"\} 0$/m);
    assert.match(text, /madoguchi_http_request_duration_seconds_bucket/);
    assert.ok(
      metrics.value("madoguchi_http_requests_total", { method: "GET", status: "2xx" }) > before,
    );
    // Without a token, app.request() has no loopback socket: refused.
    const open = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
    assert.equal((await open.request("http://localhost/metrics")).status, 404);
  } finally {
    await db.cleanup();
  }
});

Deno.test("metrics: the SMTP adapter counts filed mail and the outbox worker counts sent mail", async () => {
  const desk = await startDesk(at("2026-03-07T22:00+09:00"));
  try {
    await desk.store.writeTx((tx) =>
      saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0)
    );
    const created = metrics.value("madoguchi_mail_received_total", { result: "created" });
    const sent = metrics.value("madoguchi_outbox_sent_total");
    await desk.send(
      "taro@example.com",
      rawMail({ From: "taro@example.com", To: "support@example.test", Subject: "件名" }, "本文"),
    );
    await desk.delivered();
    assert.equal(
      metrics.value("madoguchi_mail_received_total", { result: "created" }),
      created + 1,
    );
    assert.equal(metrics.value("madoguchi_outbox_sent_total"), sent + 1, "the auto-reply");
  } finally {
    await desk.stop();
  }
});
