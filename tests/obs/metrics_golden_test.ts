/**
 * The /metrics text, byte for byte: moving the counters out of domain/ (they are process state)
 * must not change one line a Prometheus scrape sees.
 */
import assert from "node:assert/strict";
import { Metrics } from "../../obs/metrics.ts";

const GOLDEN =
  `# HELP madoguchi_mail_received_total Inbound mail accepted over SMTP, by what became of it
# TYPE madoguchi_mail_received_total counter
madoguchi_mail_received_total{result="created"} 2
madoguchi_mail_received_total{result="quarantined"} 1
# HELP madoguchi_outbox_sent_total Outbound mail the relay accepted
# TYPE madoguchi_outbox_sent_total counter
madoguchi_outbox_sent_total 3
# HELP madoguchi_http_request_duration_seconds HTTP request latency
# TYPE madoguchi_http_request_duration_seconds histogram
madoguchi_http_request_duration_seconds_bucket{le="0.005"} 0
madoguchi_http_request_duration_seconds_bucket{le="0.01"} 0
madoguchi_http_request_duration_seconds_bucket{le="0.025"} 1
madoguchi_http_request_duration_seconds_bucket{le="0.05"} 1
madoguchi_http_request_duration_seconds_bucket{le="0.1"} 1
madoguchi_http_request_duration_seconds_bucket{le="0.25"} 1
madoguchi_http_request_duration_seconds_bucket{le="0.5"} 1
madoguchi_http_request_duration_seconds_bucket{le="1"} 1
madoguchi_http_request_duration_seconds_bucket{le="2.5"} 2
madoguchi_http_request_duration_seconds_bucket{le="5"} 2
madoguchi_http_request_duration_seconds_bucket{le="10"} 2
madoguchi_http_request_duration_seconds_bucket{le="+Inf"} 2
madoguchi_http_request_duration_seconds_sum 2.02
madoguchi_http_request_duration_seconds_count 2
# HELP madoguchi_outbox_items Outbound mail in the outbox not yet sent, by status
# TYPE madoguchi_outbox_items gauge
madoguchi_outbox_items{status="queued"} 3
madoguchi_outbox_items{status="failed"} 0
`;

Deno.test("metrics: the rendered text is exactly what scrapers saw before the move", () => {
  const m = new Metrics();
  m.inc("madoguchi_mail_received_total", { result: "created" });
  m.inc("madoguchi_outbox_sent_total", {}, 3);
  m.inc("madoguchi_mail_received_total", { result: "quarantined" });
  m.inc("madoguchi_mail_received_total", { result: "created" });
  m.observe("madoguchi_http_request_duration_seconds", {}, 0.02);
  m.observe("madoguchi_http_request_duration_seconds", {}, 2);
  const text = m.render([
    {
      name: "madoguchi_outbox_items",
      help: "Outbound mail in the outbox not yet sent, by status",
      labels: { status: "queued" },
      value: 3,
    },
    {
      name: "madoguchi_outbox_items",
      help: "Outbound mail in the outbox not yet sent, by status",
      labels: { status: "failed" },
      value: 0,
    },
  ]);
  assert.equal(text, GOLDEN);
});
