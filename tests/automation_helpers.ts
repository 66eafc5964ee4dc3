/**
 * A help desk for after-hours and reminder tests: a real database file, inbound SMTP on a socket,
 * the outbox worker relaying to an SMTP sink, the scheduler with the app's timer handlers, all on
 * one injected clock, and the default department on a Mon–Fri 09:00–18:00 Tokyo schedule.
 */
import type { Store } from "../db/client.ts";
import { assignDepartmentSchedule, insertSchedule } from "../db/schedules.ts";
import { defaultDepartmentId } from "../db/tickets.ts";
import { type InboundSmtpOptions, startInboundSmtp } from "../mail/smtp_server.ts";
import { smtpRelayTransport, startOutboxWorker } from "../loops/outbox_worker.ts";
import { startScheduler } from "../loops/scheduler.ts";
import { timerHandlers } from "../loops/timer_handlers.ts";
import { receiveMail } from "../services/inbound_mail.ts";
import { testRuntime } from "./runtime.ts";
import type { Schedule } from "../domain/schedule.ts";
import { sendRaw, startSmtpSink, tempStore, testConfig } from "./helpers.ts";

const nineToSix = [{ start: "09:00", end: "18:00" }];
export const WEEKDAYS_TOKYO: Schedule = {
  timeZone: "Asia/Tokyo",
  weekly: { 1: nineToSix, 2: nineToSix, 3: nineToSix, 4: nineToSix, 5: nineToSix },
  holidays: [],
};

/** Epoch ms of an ISO instant with offset, e.g. "2026-03-07T22:00+09:00". */
export function at(instant: string): number {
  return Temporal.Instant.from(instant).epochMilliseconds;
}

export async function startDesk(
  start: number,
  env: Record<string, string> = {},
  smtpOptions: Pick<InboundSmtpOptions, "authenticate"> = {},
) {
  const db = await tempStore();
  const config = testConfig(db.dir, {
    MADOGUCHI_SMTP_RELAY_URL: "smtp://127.0.0.1:1", // replaced by the sink below
    ...env,
  });
  const clock = { now: start };
  const now = () => clock.now;
  const departmentId = await defaultDepartmentId(db.store.db);
  await db.store.writeTx(async (tx) => {
    const id = await insertSchedule(tx, { name: "営業日", ...WEEKDAYS_TOKYO }, start);
    await assignDepartmentSchedule(tx, departmentId, id);
  });
  const sink = await startSmtpSink();
  const outbox = await startOutboxWorker(db.store, smtpRelayTransport(sink.url), { now });
  const handlers = timerHandlers();
  const rt = testRuntime(db.store, {
    config,
    now,
    wakers: { outbox: () => outbox.wake(), timers: () => scheduler.wake() },
  });
  let scheduler = startScheduler(rt, handlers, { now });
  const smtp = await startInboundSmtp((raw, envelope) => receiveMail(rt, raw, envelope), {
    host: "127.0.0.1",
    port: 0,
    mailDomains: config.mailDomains,
    maxMessageBytes: 1024 * 1024,
    maxConnections: 10,
    ...smtpOptions,
  });
  return {
    store: db.store as Store,
    rt,
    config,
    clock,
    sink,
    outbox,
    departmentId,
    get scheduler() {
      return scheduler;
    },
    /** Stops the scheduler and starts a new one over the same database ("restart"). */
    async restartScheduler() {
      await scheduler.stop();
      scheduler = startScheduler(rt, handlers, { now });
      await scheduler.idle();
    },
    /** Sends a mail over SMTP as `from`; resolves with the server's answer. */
    send(from: string, raw: string) {
      return sendRaw(smtp.port, { from, to: ["support@example.test"] }, raw);
    },
    /** Waits until everything queued so far has reached the sink. */
    async delivered() {
      await outbox.idle();
      outbox.wake();
      await outbox.idle();
    },
    async stop() {
      await smtp.close();
      await scheduler.stop();
      await outbox.stop();
      await sink.close();
      await db.cleanup();
    },
  };
}
