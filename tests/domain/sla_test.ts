import assert from "node:assert/strict";
import fc from "fast-check";
import {
  computeSla,
  resolutionElapsedMs,
  type SlaFacts,
  type SlaMetric,
  type SlaTargets,
} from "../../domain/sla.ts";
import type { Schedule, WeeklyHours } from "../../domain/schedule.ts";
import { businessMillisecondsBetween } from "../../domain/business_time.ts";
import { scheduleClock } from "../../domain/business_clock.ts";
import type { TicketStatus } from "../../domain/ticket_status.ts";
import {
  parseDurationMinutes,
  policyToForm,
  SlaPolicyFields,
  type SlaPolicyForm,
  slaPolicySchema,
} from "../../domain/sla_policy.ts";
import { checkInput, v } from "../../domain/validation.ts";

// The catalog key of each problem, as a page would look it up.
const keys = (key: string) => key;

function validatePolicyForm(form: SlaPolicyForm, departmentIds: number[]) {
  const checked = checkInput(slaPolicySchema(departmentIds), form, keys);
  return checked.ok
    ? { policy: checked.value, errors: {} as Record<string, string> }
    : { policy: undefined, errors: checked.fields };
}

const H = 60;

function weekdays(start: string, end: string): WeeklyHours {
  const day = [{ start, end }];
  return { 1: day, 2: day, 3: day, 4: day, 5: day };
}

const TOKYO_8_18: Schedule = {
  timeZone: "Asia/Tokyo",
  weekly: weekdays("08:00", "18:00"),
  holidays: [],
};

/** Epoch ms of a local wall time in a zone, e.g. at("2026-07-03T17:55"). */
function at(local: string, zone = "Asia/Tokyo"): number {
  return Temporal.PlainDateTime.from(local).toZonedDateTime(zone).epochMilliseconds;
}

/** An instant as local wall time with the weekday, so a failing case reads like its title. */
function wall(ms: number | null | undefined, zone = "Asia/Tokyo"): string | null {
  if (ms === null || ms === undefined) return null;
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone);
  const day = ["", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][z.dayOfWeek];
  return `${day} ${z.toPlainDate()} ${z.toPlainTime().toString({ smallestUnit: "minute" })}`;
}

function targets(over: Partial<SlaTargets> = {}): SlaTargets {
  return {
    firstResponseMinutes: null,
    nextResponseMinutes: null,
    resolutionMinutes: null,
    warning: { kind: "percent", value: 80 },
    ...over,
  };
}

function facts(createdAt: number, over: Partial<SlaFacts> = {}): SlaFacts {
  return {
    createdAt,
    status: "new",
    firstResponseAt: null,
    awaitingSince: createdAt,
    clock: { elapsedMs: 0, runningSince: null, stopped: false },
    ...over,
  };
}

function clockOf(state: ReturnType<typeof computeSla>, metric: SlaMetric) {
  return state.clocks.find((c) => c.metric === metric);
}

const firstResponseCases: Array<{
  name: string;
  schedule: Schedule | null;
  created: string;
  minutes: number;
  due: string;
  zone?: string;
}> = [
  {
    name:
      "a mail at Fri 17:55 with a 2-hour first-response SLA on a Mon–Fri 8–18 schedule is due Mon 09:55",
    schedule: TOKYO_8_18,
    created: "2026-07-03T17:55",
    minutes: 2 * H,
    due: "Mon 2026-07-06 09:55",
  },
  {
    name: "a mail on Saturday is due two business hours after Monday's opening",
    schedule: TOKYO_8_18,
    created: "2026-07-04T11:00",
    minutes: 2 * H,
    due: "Mon 2026-07-06 10:00",
  },
  {
    name: "a mail at Tue 10:00 with a 2-hour SLA is due the same day at 12:00",
    schedule: TOKYO_8_18,
    created: "2026-07-07T10:00",
    minutes: 2 * H,
    due: "Tue 2026-07-07 12:00",
  },
  {
    name: "a deadline that lands on closing time stays at closing time, not the next morning",
    schedule: TOKYO_8_18,
    created: "2026-07-07T16:00",
    minutes: 2 * H,
    due: "Tue 2026-07-07 18:00",
  },
  {
    name: "a Monday holiday (海の日) pushes the Friday-evening mail to Tuesday",
    schedule: { ...TOKYO_8_18, holidays: [{ kind: "date", date: "2026-07-20", name: "海の日" }] },
    created: "2026-07-17T17:55",
    minutes: 2 * H,
    due: "Tue 2026-07-21 09:55",
  },
  {
    name: "without a schedule the team is always open: Fri 17:55 + 2 h is Fri 19:55",
    schedule: null,
    created: "2026-07-03T17:55",
    minutes: 2 * H,
    due: "Fri 2026-07-03 19:55",
  },
  {
    name: "a night shift 22:00–06:00 takes a Saturday-22:00 mail through to Sunday 02:00",
    schedule: {
      timeZone: "Asia/Tokyo",
      weekly: { 6: [{ start: "22:00", end: "06:00" }] },
      holidays: [],
    },
    created: "2026-07-04T22:00",
    minutes: 4 * H,
    due: "Sun 2026-07-05 02:00",
  },
  {
    name: "Berlin round the clock across spring-forward: 8 business hours are 8 real hours",
    schedule: {
      timeZone: "Europe/Berlin",
      weekly: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [{
        start: "00:00",
        end: "00:00",
      }]])),
      holidays: [],
    },
    created: "2026-03-28T22:00",
    minutes: 8 * H,
    due: "Sun 2026-03-29 07:00",
    zone: "Europe/Berlin",
  },
  {
    name: "New York night shift on fall-back night: an 8-hour SLA from 22:00 is due 05:00",
    schedule: {
      timeZone: "America/New_York",
      weekly: { 6: [{ start: "22:00", end: "06:00" }] },
      holidays: [],
    },
    created: "2026-10-31T22:00",
    minutes: 8 * H,
    due: "Sun 2026-11-01 05:00",
    zone: "America/New_York",
  },
  {
    name: "New York business week after spring-forward: Fri 16:00 + 2 h is Mon 10:00 (EDT)",
    schedule: { timeZone: "America/New_York", weekly: weekdays("09:00", "17:00"), holidays: [] },
    created: "2026-03-06T16:00",
    minutes: 2 * H,
    due: "Mon 2026-03-09 10:00",
    zone: "America/New_York",
  },
];

for (const c of firstResponseCases) {
  Deno.test(`sla: ${c.name}`, () => {
    const zone = c.zone ?? "Asia/Tokyo";
    const created = at(c.created, zone);
    const state = computeSla(
      targets({ firstResponseMinutes: c.minutes }),
      scheduleClock(c.schedule),
      facts(created),
      created,
    );
    assert.equal(wall(clockOf(state, "first_response")?.dueAt, zone), c.due);
    assert.equal(state.dueAt, clockOf(state, "first_response")?.dueAt);
  });
}

Deno.test("sla: the warning comes at 80% of the business time, Mon 09:31 for the Fri 17:55 mail", () => {
  const created = at("2026-07-03T17:55");
  const state = computeSla(
    targets({ firstResponseMinutes: 2 * H }),
    scheduleClock(TOKYO_8_18),
    facts(created),
    created,
  );
  assert.equal(wall(state.warnAt), "Mon 2026-07-06 09:31");
});

Deno.test("sla: a warning 30 minutes before is 30 business minutes before, Mon 09:25", () => {
  const created = at("2026-07-03T17:55");
  const state = computeSla(
    targets({ firstResponseMinutes: 2 * H, warning: { kind: "minutes", value: 30 } }),
    scheduleClock(TOKYO_8_18),
    facts(created),
    created,
  );
  assert.equal(wall(state.warnAt), "Mon 2026-07-06 09:25");
});

Deno.test("sla: once an agent replied, the first-response clock is met and no longer runs", () => {
  const created = at("2026-07-06T09:00");
  const replied = at("2026-07-06T09:30");
  const state = computeSla(
    targets({ firstResponseMinutes: 2 * H, nextResponseMinutes: 4 * H }),
    scheduleClock(TOKYO_8_18),
    facts(created, { status: "open", firstResponseAt: replied, awaitingSince: null }),
    replied,
  );
  assert.deepEqual(state.clocks, []);
  assert.equal(state.dueAt, null);
});

Deno.test("sla: a customer reply after ours starts the next-response clock from that message", () => {
  const created = at("2026-07-06T09:00");
  const customer = at("2026-07-07T16:00");
  const state = computeSla(
    targets({ firstResponseMinutes: 2 * H, nextResponseMinutes: 4 * H }),
    scheduleClock(TOKYO_8_18),
    facts(created, {
      firstResponseAt: at("2026-07-06T09:30"),
      awaitingSince: customer,
    }),
    customer,
  );
  assert.equal(wall(clockOf(state, "next_response")?.dueAt), "Wed 2026-07-08 10:00");
  assert.equal(state.cycleSince, customer, "the cycle start re-arms the next-response timers");
});

Deno.test("sla: while waiting on the customer (保留) no response is owed", () => {
  const created = at("2026-07-06T09:00");
  const state = computeSla(
    targets({ firstResponseMinutes: 2 * H, nextResponseMinutes: 4 * H }),
    scheduleClock(TOKYO_8_18),
    facts(created, { status: "pending" }),
    at("2026-07-06T10:00"),
  );
  assert.deepEqual(state.clocks, []);
});

/** Replays status changes through computeSla, feeding each stored clock into the next event. */
function replay(
  schedule: Schedule | null,
  t: SlaTargets,
  created: number,
  changes: Array<[string, TicketStatus]>,
) {
  let f = facts(created);
  let state = computeSla(t, scheduleClock(schedule), f, created);
  for (const [when, status] of changes) {
    f = { ...f, status, clock: state.clock };
    state = computeSla(t, scheduleClock(schedule), f, at(when));
  }
  return state;
}

Deno.test("sla: pending pauses the resolution clock and reopening resumes it where it stopped", () => {
  // 8 business hours; 4 run Monday morning, then two days waiting on the customer.
  const state = replay(
    TOKYO_8_18,
    targets({ resolutionMinutes: 8 * H }),
    at("2026-07-06T09:00"),
    [["2026-07-06T13:00", "pending"], ["2026-07-08T10:00", "new"]],
  );
  assert.equal(state.clock.elapsedMs, 4 * 3_600_000);
  assert.equal(wall(clockOf(state, "resolution")?.dueAt), "Wed 2026-07-08 14:00");
});

Deno.test("sla: a resolved ticket stops the clock; a reopened one continues with what is left", () => {
  const state = replay(
    TOKYO_8_18,
    targets({ resolutionMinutes: 8 * H }),
    at("2026-07-06T09:00"),
    [
      ["2026-07-06T17:00", "resolved"], // just as the 8 business hours ran out
      ["2026-07-09T09:00", "open"],
    ],
  );
  assert.equal(state.clock.elapsedMs, 8 * 3_600_000);
  assert.equal(wall(clockOf(state, "resolution")?.dueAt), "Thu 2026-07-09 09:00", "already due");
});

Deno.test("sla: a pause across a weekend and a DST change counts only open business time", () => {
  const schedule: Schedule = {
    timeZone: "America/New_York",
    weekly: weekdays("09:00", "17:00"),
    holidays: [],
  };
  const zone = "America/New_York";
  let f = facts(at("2026-03-06T15:00", zone));
  const t = targets({ resolutionMinutes: 5 * H });
  let s = computeSla(t, scheduleClock(schedule), f, f.createdAt);
  f = { ...f, status: "pending", clock: s.clock };
  s = computeSla(t, scheduleClock(schedule), f, at("2026-03-06T16:30", zone)); // 1.5 h used
  f = { ...f, status: "open", clock: s.clock };
  s = computeSla(t, scheduleClock(schedule), f, at("2026-03-09T11:00", zone)); // resumes after spring-forward
  assert.equal(s.clock.elapsedMs, 90 * 60_000);
  assert.equal(wall(clockOf(s, "resolution")?.dueAt, zone), "Mon 2026-03-09 14:30");
});

Deno.test("sla: the resolution clock is additive — pausing anywhere never changes the total", () => {
  // Property: however the running time is split by pauses, the elapsed business time equals
  // the sum of businessMillisecondsBetween over the running stretches.
  const start = at("2026-07-06T00:00");
  fc.assert(fc.property(
    fc.array(fc.integer({ min: 1, max: 3 * 24 * 60 }), { minLength: 2, maxLength: 8 }),
    (gaps) => {
      let now = start;
      let f = facts(start);
      let s = computeSla(null, scheduleClock(TOKYO_8_18), f, now);
      let expected = 0;
      let runningFrom = start;
      gaps.forEach((gap, i) => {
        now += gap * 60_000;
        const status: TicketStatus = i % 2 === 0 ? "pending" : "open";
        if (status === "pending") {
          expected += businessMillisecondsBetween(TOKYO_8_18, runningFrom, now);
        } else runningFrom = now;
        f = { ...f, status, clock: s.clock };
        s = computeSla(null, scheduleClock(TOKYO_8_18), f, now);
      });
      const end = now + 60_000;
      if (s.clock.runningSince !== null) {
        expected += businessMillisecondsBetween(TOKYO_8_18, runningFrom, end);
      }
      assert.equal(resolutionElapsedMs(scheduleClock(TOKYO_8_18), s.clock, end), expected);
    },
  ));
});

Deno.test("sla: a schedule that never opens gives no due instant instead of looping", () => {
  const created = at("2026-07-06T09:00");
  const state = computeSla(
    targets({ firstResponseMinutes: 60 }),
    scheduleClock({ timeZone: "Asia/Tokyo", weekly: {}, holidays: [] }),
    facts(created),
    created,
  );
  assert.equal(clockOf(state, "first_response")?.dueAt, null);
  assert.equal(state.dueAt, null);
});

Deno.test("sla policy form: durations read as minutes, hours or both", () => {
  assert.equal(parseDurationMinutes("90"), 90);
  assert.equal(parseDurationMinutes("2h"), 120);
  assert.equal(parseDurationMinutes("1h30m"), 90);
  assert.equal(parseDurationMinutes("1:30"), 90);
  assert.equal(parseDurationMinutes(""), null);
  assert.equal(parseDurationMinutes("soon"), undefined);
  assert.equal(parseDurationMinutes("0"), undefined);
});

Deno.test("sla policy form: a bad value is reported and a good form round-trips", () => {
  const form = { ...policyToForm(null), firstResponse: "2h", warningValue: "120" };
  assert.deepEqual(validatePolicyForm(form, [1]).errors, { warningValue: "sla.error.percent" });
  const ok = validatePolicyForm({ ...form, warningValue: "75" }, [1]);
  assert.deepEqual(ok.errors, {});
  assert.equal(ok.policy!.firstResponseMinutes, 120);
  assert.deepEqual(policyToForm(ok.policy!).breach, form.breach);
  const none = validatePolicyForm({ ...policyToForm(null) }, [1]);
  assert.equal(none.errors.targets, "sla.error.noTarget");
});

Deno.test("sla policy form: every problem is reported at once, each under its field", () => {
  const form: SlaPolicyForm = {
    ...policyToForm(null),
    firstResponse: "soon",
    nextResponse: "1h\r\n",
    resolution: "9".repeat(7),
    warningKind: "minutes",
    warningValue: "0",
    warning: { notify: [], mail: false, raisePriority: false, moveTo: "9" },
  };
  assert.deepEqual(validatePolicyForm(form, [1]).errors, {
    firstResponse: "sla.error.duration",
    resolution: "sla.error.duration",
    warningValue: "sla.error.minutes",
    warning: "sla.error.department",
  });
  assert.equal(
    validatePolicyForm({ ...form, warningValue: "526000" }, [9]).errors.warningValue,
    "sla.error.minutes",
  );
});

Deno.test("sla policy form: the posted fields are read as typed, ticks filtered to known targets", () => {
  const form = v.parse(SlaPolicyFields, {
    firstResponse: " 2h ",
    warningKind: "bogus",
    "warning.notify": ["assignee", "everyone"],
    "breach.notify": "supervisors",
    "breach.mail": "1",
    "breach.moveTo": "2",
    businessHoursOnly: "on",
  });
  assert.deepEqual(form, {
    firstResponse: " 2h ",
    nextResponse: "",
    resolution: "",
    warningKind: "bogus",
    warningValue: "",
    businessHoursOnly: false,
    warning: { notify: ["assignee"], mail: false, raisePriority: false, moveTo: "" },
    breach: { notify: ["supervisors"], mail: true, raisePriority: false, moveTo: "2" },
  });
  const checked = validatePolicyForm({ ...form, warningValue: "80" }, [2]);
  assert.deepEqual(checked.policy?.actions.breach, [
    { kind: "notify", to: "supervisors", mail: true },
    { kind: "move_department", departmentId: 2 },
  ]);
  assert.deepEqual(checked.policy?.warning, { kind: "percent", value: 80 });
});
