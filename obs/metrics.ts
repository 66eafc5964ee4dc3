/**
 * Process metrics in Prometheus text format (obs/: process state, not a domain rule): counters and one latency histogram, kept in memory
 * (a restart starts them at zero, as Prometheus expects of counters). No I/O: the SMTP adapter, the
 * outbox worker, the SLA escalations and an HTTP middleware count; GET /metrics renders.
 */

type Labels = Record<string, string>;

const HELP: Record<string, string> = {
  madoguchi_mail_received_total: "Inbound mail accepted over SMTP, by what became of it",
  madoguchi_outbox_sent_total: "Outbound mail the relay accepted",
  madoguchi_outbox_failed_total: "Outbound mail that failed for good",
  madoguchi_outbox_retried_total: "Outbound sends that failed and will be retried",
  madoguchi_sla_breaches_total: "SLA deadlines passed (breach timers fired)",
  madoguchi_http_requests_total: "HTTP requests, by method and status class",
  madoguchi_http_request_duration_seconds: "HTTP request latency",
};

/** Upper bounds of the latency histogram, in seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function key(labels: Labels): string {
  return Object.keys(labels).sort().map((k) => `${k}="${escape(labels[k])}"`).join(",");
}

function escape(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

/** A set of counters and histograms. */
export class Metrics {
  #counters = new Map<string, Map<string, number>>();
  #histograms = new Map<string, Map<string, { buckets: number[]; sum: number; count: number }>>();

  /** Adds `by` (default 1) to a counter. */
  inc(name: string, labels: Labels = {}, by = 1): void {
    let series = this.#counters.get(name);
    if (!series) this.#counters.set(name, series = new Map());
    const k = key(labels);
    series.set(k, (series.get(k) ?? 0) + by);
  }

  /** Records one observation (seconds) in a histogram. */
  observe(name: string, labels: Labels, value: number): void {
    let series = this.#histograms.get(name);
    if (!series) this.#histograms.set(name, series = new Map());
    const k = key(labels);
    let h = series.get(k);
    if (!h) series.set(k, h = { buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 });
    LATENCY_BUCKETS.forEach((le, i) => {
      if (value <= le) h.buckets[i]++;
    });
    h.sum += value;
    h.count++;
  }

  /** The current value of a counter (tests). */
  value(name: string, labels: Labels = {}): number {
    return this.#counters.get(name)?.get(key(labels)) ?? 0;
  }

  /** Everything in Prometheus text exposition format 0.0.4; `gauges` are read at scrape time. */
  render(gauges: Array<{ name: string; help: string; labels?: Labels; value: number }> = []) {
    const lines: string[] = [];
    const braces = (k: string) => k ? `{${k}}` : "";
    for (const [name, series] of [...this.#counters].sort()) {
      lines.push(`# HELP ${name} ${HELP[name] ?? name}`, `# TYPE ${name} counter`);
      for (const [k, v] of series) lines.push(`${name}${braces(k)} ${v}`);
    }
    for (const [name, series] of [...this.#histograms].sort()) {
      lines.push(`# HELP ${name} ${HELP[name] ?? name}`, `# TYPE ${name} histogram`);
      for (const [k, h] of series) {
        const sep = k ? `${k},` : "";
        LATENCY_BUCKETS.forEach((le, i) => {
          lines.push(`${name}_bucket{${sep}le="${le}"} ${h.buckets[i]}`);
        });
        lines.push(`${name}_bucket{${sep}le="+Inf"} ${h.count}`);
        lines.push(`${name}_sum${braces(k)} ${h.sum}`, `${name}_count${braces(k)} ${h.count}`);
      }
    }
    const seen = new Set<string>();
    for (const g of gauges) {
      if (!seen.has(g.name)) {
        lines.push(`# HELP ${g.name} ${g.help}`, `# TYPE ${g.name} gauge`);
        seen.add(g.name);
      }
      lines.push(`${g.name}${braces(key(g.labels ?? {}))} ${g.value}`);
    }
    return lines.join("\n") + "\n";
  }
}

/** The process's metrics. */
export const metrics = new Metrics();
