/**
 * CSV exports: the ticket list with its filters, streamed (one batch of rows read, encoded and
 * handed to the response at a time, as the client reads; 200 k rows never sit in memory), and a
 * report's figures. UTF-8 with a BOM so Excel opens Japanese correctly, or Shift_JIS (CP932) for
 * older Excel; CRLF and formula neutralisation come from domain/report/csv.ts.
 */
import Encoding from "encoding-japanese";
import type { Db } from "../db/client.ts";
import { type InboxQuery, walkTickets } from "../db/ticket_list.ts";
import { exportDetails, type ReportFilter, walkReportTickets } from "../db/report_queries.ts";
import { scopeFilter } from "./reports.ts";
import { loadDepartmentSchedules } from "../db/schedules.ts";
import { loadSlaPolicies } from "../db/sla_policies.ts";
import { type BusinessClock, precomputedClock } from "../domain/business_clock.ts";
import { csvRow, type CsvValue, UTF8_BOM } from "../domain/report/csv.ts";
import { localTimeFormatter } from "../domain/report/local_time.ts";
import type { ReportSummary } from "../domain/report/summary.ts";
import type { MessageKey, Translate } from "../domain/i18n/mod.ts";
import { ForbiddenError } from "../domain/errors.ts";
import type { Actor } from "./context.ts";

export const CSV_ENCODINGS = ["utf-8", "shift_jis"] as const;
export type CsvEncoding = typeof CSV_ENCODINGS[number];

const BATCH = 500;
const YEAR_MS = 365 * 86_400_000;

/** Text to bytes: UTF-8, or CP932 where a character without a Shift_JIS form becomes "?". */
export function encodeCsv(text: string, encoding: CsvEncoding): Uint8Array<ArrayBuffer> {
  if (encoding === "utf-8") return new TextEncoder().encode(text);
  return Uint8Array.from(
    Encoding.convert(Encoding.stringToCode(text), { to: "SJIS", from: "UNICODE", type: "array" }),
  );
}

/** The first bytes of a file: the BOM for UTF-8 (Shift_JIS has none). */
function preamble(encoding: CsvEncoding): string {
  return encoding === "utf-8" ? UTF8_BOM : "";
}

const HEADER: MessageKey[] = [
  "csv.number",
  "csv.subject",
  "csv.customer",
  "csv.email",
  "csv.status",
  "csv.department",
  "csv.assignee",
  "csv.tags",
  "csv.priority",
  "csv.created",
  "csv.firstResponse",
  "csv.resolved",
  "csv.slaMet",
];

export interface TicketCsvOptions {
  /** The inbox list's filters, or the tickets behind a report (received in its period). */
  query:
    | Omit<InboxQuery, "cursor" | "page" | "clampPage" | "perPage">
    | { report: { fromMs: number; toMs: number; filter: ReportFilter } };
  encoding: CsvEncoding;
  t: Translate;
  timeZone: string;
  now: number;
}

/** The ticket list as a CSV byte stream, read batch by batch as the consumer pulls. */
export function ticketCsvStream(
  db: Db,
  actor: Actor,
  options: TicketCsvOptions,
): ReadableStream<Uint8Array> {
  if (actor.kind !== "agent" && actor.kind !== "system") {
    throw new ForbiddenError("Exports are for agents");
  }
  const { t, encoding, now } = options;
  const time = localTimeFormatter(options.timeZone);
  const q = options.query;
  const batches = "report" in q
    ? walkReportTickets(db, q.report, scopeFilter(actor, q.report.filter), BATCH)
    : walkTickets(db, q, BATCH);
  const sla = slaJudge(db, now);
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = "";
      if (!started) {
        started = true;
        text = preamble(encoding) + csvRow(HEADER.map((k) => t(k)));
      }
      const next = await batches.next();
      if (next.done) {
        if (text) controller.enqueue(encodeCsv(text, encoding));
        controller.close();
        return;
      }
      const details = await exportDetails(db, next.value.map((r) => r.id));
      const judge = await sla;
      for (const r of next.value) {
        const d = details.get(r.id);
        text += csvRow([
          r.number,
          r.subject,
          r.customerName,
          r.customerEmail,
          t(`status.${r.status}` as MessageKey),
          d?.departmentName,
          d?.agentName,
          d?.tags,
          d ? t(`priority.${d.priority}` as MessageKey) : "",
          time(r.createdAt),
          time(d?.firstResponseAt ?? null),
          time(d?.resolvedAt ?? null),
          d ? slaCell(t, await judge(r.createdAt, d)) : "",
        ]);
      }
      controller.enqueue(encodeCsv(text, encoding));
    },
    async cancel() {
      await batches.return(undefined);
    },
  });
}

function slaCell(t: Translate, met: boolean | null): CsvValue {
  return met === null ? "" : t(met ? "csv.yes" : "csv.no");
}

/**
 * Whether a ticket met its SLA: null without a policy; otherwise the first response within its
 * target, the resolution (if resolved) within its, and no deadline passed now.
 */
async function slaJudge(db: Db, now: number) {
  const policies = new Map(
    (await loadSlaPolicies(db)).map((p) => [`${p.departmentId}:${p.priority}`, p]),
  );
  const clocks = new Map<number, Promise<BusinessClock>>();
  const clockOf = (departmentId: number) => {
    let clock = clocks.get(departmentId);
    if (!clock) {
      clock = loadDepartmentSchedules(db, [departmentId]).then((s) =>
        precomputedClock(s.get(departmentId) ?? null, now - 2 * YEAR_MS, now + 86_400_000)
      );
      clocks.set(departmentId, clock);
    }
    return clock;
  };
  return async (
    createdAt: number,
    d: {
      departmentId: number;
      priority: string;
      firstResponseAt: number | null;
      resolvedAt: number | null;
      slaElapsedMs: number;
      slaDueAt: number | null;
    },
  ): Promise<boolean | null> => {
    const policy = policies.get(`${d.departmentId}:${d.priority}`);
    if (!policy) return null;
    if (d.slaDueAt !== null && d.slaDueAt <= now) return false;
    const clock = await clockOf(d.departmentId);
    if (policy.firstResponseMinutes !== null) {
      const answeredBy = d.firstResponseAt ?? now;
      if (clock.between(createdAt, answeredBy) > policy.firstResponseMinutes * 60_000) return false;
    }
    if (policy.resolutionMinutes !== null && d.resolvedAt !== null) {
      if (d.slaElapsedMs > policy.resolutionMinutes * 60_000) return false;
    }
    return true;
  };
}

/** A report's figures as CSV (metric, value rows; then per day and per agent tables). */
export function reportCsv(
  report: ReportSummary,
  options: { t: Translate; encoding: CsvEncoding; agentName(id: number | null): string },
): Uint8Array<ArrayBuffer> {
  const { t } = options;
  const rows: CsvValue[][] = [
    [t("csv.metric"), t("csv.value")],
    [t("reports.period"), `${report.from} – ${report.to}`],
    [t("reports.received"), report.received],
    [t("reports.replied"), report.replied],
  ];
  for (
    const [key, stats] of [
      ["reports.firstResponse", report.first_response],
      ["reports.resolution", report.resolution],
    ] as const
  ) {
    rows.push(
      [`${t(key)} ${t("reports.median")} (${t("reports.wall")})`, stats.median_minutes],
      [`${t(key)} ${t("reports.p90")} (${t("reports.wall")})`, stats.p90_minutes],
      [
        `${t(key)} ${t("reports.median")} (${t("reports.business")})`,
        stats.business_median_minutes,
      ],
      [`${t(key)} ${t("reports.p90")} (${t("reports.business")})`, stats.business_p90_minutes],
    );
  }
  rows.push(
    [`${t("reports.sla")} ${t("reports.firstResponse")}`, report.sla.first_response_pct],
    [`${t("reports.sla")} ${t("reports.resolution")}`, report.sla.resolution_pct],
    [t("reports.reopenRate"), report.reopen_rate_pct],
    [],
    [t("reports.date"), t("reports.received"), t("reports.replied")],
    ...report.by_day.map((d) => [d.date, d.received, d.replied]),
    [],
    [
      t("reports.agent"),
      t("reports.tickets"),
      t("reports.replies"),
      t("reports.firstResponseMedian"),
    ],
    ...report.by_agent.map((a) => [
      options.agentName(a.agent_id),
      a.tickets,
      a.replies,
      a.first_response_median_minutes,
    ]),
  );
  return encodeCsv(preamble(options.encoding) + rows.map(csvRow).join(""), options.encoding);
}
