import assert from "node:assert/strict";
import holidayJp from "@holiday-jp/holiday_jp";
import fc from "fast-check";
import rrulePkg from "rrule";
import {
  addBusinessMinutes,
  businessMillisecondsBetween,
  businessMinutesBetween,
  isOpen,
  nextOpening,
  openIntervals,
} from "../../domain/business_time.ts";
import {
  type Holiday,
  InvalidScheduleError,
  parseIcsHolidays,
  type Schedule,
  type TimeInterval,
  type WeeklyHours,
} from "../../domain/schedule.ts";

const { RRule } = rrulePkg;
const MINUTE = 60_000;

/** Epoch ms of an ISO instant with offset, e.g. "2026-01-09T17:55+09:00". */
function ms(instant: string): number {
  return Temporal.Instant.from(instant).epochMilliseconds;
}

/** The same instant written in the schedule's zone, so failures read as local wall time. */
function local(schedule: Schedule, epochMs: number | null): string | null {
  if (epochMs === null) return null;
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(schedule.timeZone)
    .toString({ smallestUnit: "minute", timeZoneName: "never" });
}

function everyDay(...intervals: TimeInterval[]): WeeklyHours {
  return {
    1: intervals,
    2: intervals,
    3: intervals,
    4: intervals,
    5: intervals,
    6: intervals,
    7: intervals,
  };
}

function weekdays(...intervals: TimeInterval[]): WeeklyHours {
  return { 1: intervals, 2: intervals, 3: intervals, 4: intervals, 5: intervals };
}

const tokyo8to18: Schedule = {
  timeZone: "Asia/Tokyo",
  weekly: weekdays({ start: "08:00", end: "18:00" }),
  holidays: [],
};
const berlinLunch: Schedule = {
  timeZone: "Europe/Berlin",
  weekly: weekdays({ start: "09:00", end: "12:00" }, { start: "13:00", end: "18:00" }),
  holidays: [],
};
const tokyoNights: Schedule = {
  timeZone: "Asia/Tokyo",
  weekly: weekdays({ start: "22:00", end: "06:00" }),
  holidays: [],
};
const newYork8to18Daily: Schedule = {
  timeZone: "America/New_York",
  weekly: everyDay({ start: "08:00", end: "18:00" }),
  holidays: [],
};
const newYork1to4Daily: Schedule = {
  timeZone: "America/New_York",
  weekly: everyDay({ start: "01:00", end: "04:00" }),
  holidays: [],
};
const berlinAroundTheClock: Schedule = {
  timeZone: "Europe/Berlin",
  weekly: everyDay({ start: "00:00", end: "00:00" }),
  holidays: [],
};
const berlin8to18Daily: Schedule = {
  ...berlinAroundTheClock,
  weekly: everyDay({ start: "08:00", end: "18:00" }),
};

function withHolidays(schedule: Schedule, ...holidays: Holiday[]): Schedule {
  return { ...schedule, holidays };
}

const addCases: Array<
  { name: string; schedule: Schedule; from: string; minutes: number; due: string }
> = [
  {
    name: "a 2-hour SLA from Fri 17:55 is due Mon 09:55",
    schedule: tokyo8to18,
    from: "2026-01-09T17:55+09:00",
    minutes: 120,
    due: "2026-01-12T09:55+09:00",
  },
  {
    name: "a mail on Saturday starts counting at Monday's opening",
    schedule: tokyo8to18,
    from: "2026-01-10T11:00+09:00",
    minutes: 60,
    due: "2026-01-12T09:00+09:00",
  },
  {
    name: "a deadline landing on closing time stays at closing time",
    schedule: tokyo8to18,
    from: "2026-01-09T16:00+09:00",
    minutes: 120,
    due: "2026-01-09T18:00+09:00",
  },
  {
    name: "a zero-minute SLA is due at once, even on a Saturday",
    schedule: tokyo8to18,
    from: "2026-01-10T11:00+09:00",
    minutes: 0,
    due: "2026-01-10T11:00+09:00",
  },
  {
    name: "60 business days of minutes land on the 60th working day's close",
    schedule: tokyo8to18,
    from: "2026-01-05T08:00+09:00",
    minutes: 60 * 600,
    due: "2026-03-27T18:00+09:00",
  },
  {
    name: "a 4-hour SLA from 11:00 skips the lunch break",
    schedule: berlinLunch,
    from: "2026-01-12T11:00+01:00",
    minutes: 240,
    due: "2026-01-12T16:00+01:00",
  },
  {
    name: "a mail during lunch starts counting at 13:00",
    schedule: berlinLunch,
    from: "2026-01-12T12:30+01:00",
    minutes: 30,
    due: "2026-01-12T13:30+01:00",
  },
  {
    name: "a night-shift SLA from 05:00 continues into the next night",
    schedule: tokyoNights,
    from: "2026-01-13T05:00+09:00",
    minutes: 180,
    due: "2026-01-14T00:00+09:00",
  },
  {
    name: "the Friday night shift runs into Saturday morning",
    schedule: tokyoNights,
    from: "2026-01-10T02:00+09:00",
    minutes: 60,
    due: "2026-01-10T03:00+09:00",
  },
  {
    name: "a single-date holiday closes Monday, so Friday's SLA is due Tuesday",
    schedule: withHolidays(tokyo8to18, { kind: "date", date: "2026-01-12" }),
    from: "2026-01-09T17:55+09:00",
    minutes: 120,
    due: "2026-01-13T09:55+09:00",
  },
  {
    name: "a New Year closure range pushes the SLA to the first working day",
    schedule: withHolidays(tokyo8to18, { kind: "range", from: "2025-12-29", to: "2026-01-03" }),
    from: "2025-12-26T17:00+09:00",
    minutes: 120,
    due: "2026-01-05T09:00+09:00",
  },
  {
    name: "a yearly Jan 1 holiday closes the Friday of 2027",
    schedule: withHolidays(tokyo8to18, { kind: "yearly", month: 1, day: 1 }),
    from: "2026-12-31T17:00+09:00",
    minutes: 120,
    due: "2027-01-04T09:00+09:00",
  },
  {
    name: "an RRULE holiday (2nd Monday of January) closes 2027-01-11",
    schedule: withHolidays(tokyo8to18, {
      kind: "rrule",
      rrule: "FREQ=YEARLY;BYMONTH=1;BYDAY=2MO",
      start: "2000-01-10",
    }),
    from: "2027-01-08T17:00+09:00",
    minutes: 120,
    due: "2027-01-12T09:00+09:00",
  },
  {
    name: "a night shift started before a holiday runs on; the holiday's own shift does not open",
    schedule: withHolidays(tokyoNights, { kind: "date", date: "2026-01-13" }),
    from: "2026-01-13T05:00+09:00",
    minutes: 120,
    due: "2026-01-14T23:00+09:00",
  },
  {
    name: "a night shift starting on a holiday evening does not open",
    schedule: withHolidays(tokyoNights, { kind: "date", date: "2026-01-12" }),
    from: "2026-01-12T21:00+09:00",
    minutes: 60,
    due: "2026-01-13T23:00+09:00",
  },
  {
    name: "New York's spring-forward Sunday still has 10 real business hours",
    schedule: newYork8to18Daily,
    from: "2026-03-08T08:00-04:00",
    minutes: 600,
    due: "2026-03-08T18:00-04:00",
  },
  {
    name: "01:00–04:00 on New York's spring-forward day holds only 2 real hours",
    schedule: newYork1to4Daily,
    from: "2026-03-08T00:00-05:00",
    minutes: 121,
    due: "2026-03-09T01:01-04:00",
  },
  {
    name: "01:00–04:00 on New York's fall-back day holds 4 real hours",
    schedule: newYork1to4Daily,
    from: "2026-11-01T00:00-04:00",
    minutes: 240,
    due: "2026-11-01T04:00-05:00",
  },
  {
    name: "around the clock in Berlin, an hour from 01:30 on spring-forward day is 03:30",
    schedule: berlinAroundTheClock,
    from: "2026-03-29T01:30+01:00",
    minutes: 60,
    due: "2026-03-29T03:30+02:00",
  },
  {
    name: "around the clock in Berlin, an hour from 02:30 summer time on fall-back day is 02:30",
    schedule: berlinAroundTheClock,
    from: "2026-10-25T02:30+02:00",
    minutes: 60,
    due: "2026-10-25T02:30+01:00",
  },
  {
    name: "Berlin's fall-back Sunday 08:00–18:00 is 10 real hours",
    schedule: berlin8to18Daily,
    from: "2026-10-25T08:00+01:00",
    minutes: 600,
    due: "2026-10-25T18:00+01:00",
  },
  {
    name: "imported Japanese holidays (ICS) close Coming of Age Day",
    schedule: withHolidays(
      tokyo8to18,
      ...parseIcsHolidays(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20260112\r\nDTEND;VALUE=DATE:20260113\r\n" +
          "RRULE:FREQ=YEARLY;BYMONTH=1;BYDAY=2MO\r\nSUMMARY:成人の日\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
      ),
    ),
    from: "2027-01-08T17:55+09:00",
    minutes: 120,
    due: "2027-01-12T09:55+09:00",
  },
];

for (const { name, schedule, from, minutes, due } of addCases) {
  Deno.test(`business time: ${name}`, () => {
    const dueMs = addBusinessMinutes(schedule, ms(from), minutes);
    assert.equal(local(schedule, dueMs), local(schedule, ms(due)));
    // Every due date doubles as a check of the inverse.
    assert.equal(businessMinutesBetween(schedule, ms(from), dueMs!), minutes);
  });
}

const betweenCases: Array<
  { name: string; schedule: Schedule; from: string; to: string; minutes: number }
> = [
  {
    name: "Fri 17:55 to Mon 09:55 is 120 business minutes",
    schedule: tokyo8to18,
    from: "2026-01-09T17:55+09:00",
    to: "2026-01-12T09:55+09:00",
    minutes: 120,
  },
  {
    name: "a reversed range counts negative (overdue by)",
    schedule: tokyo8to18,
    from: "2026-01-12T09:55+09:00",
    to: "2026-01-09T17:55+09:00",
    minutes: -120,
  },
  {
    name: "59.999 seconds is 0 whole minutes",
    schedule: tokyo8to18,
    from: "2026-01-09T10:00:00+09:00",
    to: "2026-01-09T10:00:59.999+09:00",
    minutes: 0,
  },
  {
    name: "90 seconds is 1 whole minute",
    schedule: tokyo8to18,
    from: "2026-01-09T10:00:00+09:00",
    to: "2026-01-09T10:01:30+09:00",
    minutes: 1,
  },
  {
    name: "a reversed 90 seconds is -1, truncated toward zero",
    schedule: tokyo8to18,
    from: "2026-01-09T10:01:30+09:00",
    to: "2026-01-09T10:00:00+09:00",
    minutes: -1,
  },
  {
    name: "a weekend holds no business minutes",
    schedule: tokyo8to18,
    from: "2026-01-09T18:00+09:00",
    to: "2026-01-12T08:00+09:00",
    minutes: 0,
  },
  {
    name: "a working week is 50 hours",
    schedule: tokyo8to18,
    from: "2026-01-12T00:00+09:00",
    to: "2026-01-19T00:00+09:00",
    minutes: 3000,
  },
  {
    name: "New York's spring-forward day holds 2 hours of a 01:00–04:00 schedule",
    schedule: newYork1to4Daily,
    from: "2026-03-08T00:00-05:00",
    to: "2026-03-09T00:00-04:00",
    minutes: 120,
  },
  {
    name: "New York's fall-back day holds 4 hours of a 01:00–04:00 schedule",
    schedule: newYork1to4Daily,
    from: "2026-11-01T00:00-04:00",
    to: "2026-11-02T00:00-05:00",
    minutes: 240,
  },
  {
    name: "Berlin's spring-forward day around the clock is 23 hours",
    schedule: berlinAroundTheClock,
    from: "2026-03-29T00:00+01:00",
    to: "2026-03-30T00:00+02:00",
    minutes: 23 * 60,
  },
];

for (const { name, schedule, from, to, minutes } of betweenCases) {
  Deno.test(`business time: ${name}`, () => {
    assert.equal(businessMinutesBetween(schedule, ms(from), ms(to)), minutes);
  });
}

const openingCases: Array<{ name: string; schedule: Schedule; at: string; opens: string }> = [
  {
    name: "while open, the next opening is now",
    schedule: tokyo8to18,
    at: "2026-01-12T10:00+09:00",
    opens: "2026-01-12T10:00+09:00",
  },
  {
    name: "at Friday's closing time the next opening is Monday 08:00",
    schedule: tokyo8to18,
    at: "2026-01-09T18:00+09:00",
    opens: "2026-01-12T08:00+09:00",
  },
  {
    name: "a Berlin 02:30 opening on spring-forward day opens at 03:30 summer time",
    schedule: { ...berlinAroundTheClock, weekly: everyDay({ start: "02:30", end: "05:00" }) },
    at: "2026-03-29T00:00+01:00",
    opens: "2026-03-29T03:30+02:00",
  },
];

for (const { name, schedule, at, opens } of openingCases) {
  Deno.test(`business time: ${name}`, () => {
    assert.equal(local(schedule, nextOpening(schedule, ms(at))), local(schedule, ms(opens)));
  });
}

Deno.test("business time: isOpen is true inside hours and false at the closing instant", () => {
  assert.equal(isOpen(tokyo8to18, ms("2026-01-09T08:00+09:00")), true);
  assert.equal(isOpen(tokyo8to18, ms("2026-01-09T17:59:59.999+09:00")), true);
  assert.equal(isOpen(tokyo8to18, ms("2026-01-09T18:00+09:00")), false);
});

Deno.test("business time: the admin view lists the split days' intervals in UTC", () => {
  const intervals = openIntervals(
    berlinLunch,
    ms("2026-01-09T10:00+01:00"),
    ms("2026-01-12T10:00+01:00"),
  );
  assert.deepEqual(intervals, [
    { start: ms("2026-01-09T10:00+01:00"), end: ms("2026-01-09T12:00+01:00") },
    { start: ms("2026-01-09T13:00+01:00"), end: ms("2026-01-09T18:00+01:00") },
    { start: ms("2026-01-12T09:00+01:00"), end: ms("2026-01-12T10:00+01:00") },
  ]);
  assert.deepEqual(
    openIntervals(berlinLunch, ms("2026-01-12T10:00+01:00"), ms("2026-01-09T10:00+01:00")),
    [],
  );
});

Deno.test("business time: a shift until 24:00 and one from 00:00 show as one interval", () => {
  const schedule: Schedule = {
    timeZone: "UTC",
    weekly: { 1: [{ start: "22:00", end: "24:00" }], 2: [{ start: "00:00", end: "06:00" }] },
    holidays: [],
  };
  assert.deepEqual(openIntervals(schedule, ms("2026-01-12T00:00Z"), ms("2026-01-26T00:00Z")), [
    { start: ms("2026-01-12T22:00Z"), end: ms("2026-01-13T06:00Z") },
    { start: ms("2026-01-19T22:00Z"), end: ms("2026-01-20T06:00Z") },
  ]);
});

Deno.test("business time: a schedule without hours never opens", () => {
  const closed: Schedule = { timeZone: "Asia/Tokyo", weekly: {}, holidays: [] };
  const at = ms("2026-01-09T10:00+09:00");
  assert.equal(addBusinessMinutes(closed, at, 60), null);
  assert.equal(nextOpening(closed, at), null);
  assert.equal(businessMinutesBetween(closed, at, at + 7 * 86_400_000), 0);
  assert.deepEqual(openIntervals(closed, at, at + 86_400_000), []);
});

Deno.test("business time: a schedule closed by an every-day holiday gives up instead of looping", () => {
  const alwaysHoliday = withHolidays(tokyo8to18, {
    kind: "rrule",
    rrule: "FREQ=DAILY",
    start: "2000-01-01",
  });
  assert.equal(addBusinessMinutes(alwaysHoliday, ms("2026-01-09T10:00+09:00"), 1), null);
});

Deno.test("business time: negative minutes and broken schedules are rejected", () => {
  assert.throws(() => addBusinessMinutes(tokyo8to18, 0, -1), RangeError);
  assert.throws(() => addBusinessMinutes(tokyo8to18, 0, Number.NaN), RangeError);
  assert.throws(
    () => nextOpening({ ...tokyo8to18, timeZone: "Asia/Nowhere" }, 0),
    InvalidScheduleError,
  );
});

// --- Property tests against a brute-force oracle -------------------------------------------------

const ZONES = ["Asia/Tokyo", "America/New_York", "Europe/Berlin", "UTC"];
// DST changes during 2026–2027 with their zone: starts just before them hit gaps and overlaps.
const TRANSITIONS: Array<[string, number]> = [
  ["America/New_York", ms("2026-03-08T07:00Z")],
  ["America/New_York", ms("2026-11-01T06:00Z")],
  ["America/New_York", ms("2027-03-14T07:00Z")],
  ["America/New_York", ms("2027-11-07T06:00Z")],
  ["Europe/Berlin", ms("2026-03-29T01:00Z")],
  ["Europe/Berlin", ms("2026-10-25T01:00Z")],
  ["Europe/Berlin", ms("2027-03-28T01:00Z")],
  ["Europe/Berlin", ms("2027-10-31T01:00Z")],
];
const ORACLE_DAYS = 40;

/** Whether a holiday closes a date, written independently of the implementation. */
function oracleIsHoliday(holiday: Holiday, date: Temporal.PlainDate): boolean {
  const compare = Temporal.PlainDate.compare;
  switch (holiday.kind) {
    case "date":
      return compare(date, Temporal.PlainDate.from(holiday.date)) === 0;
    case "range":
      return compare(Temporal.PlainDate.from(holiday.from), date) <= 0 &&
        compare(date, Temporal.PlainDate.from(holiday.to)) <= 0;
    case "yearly":
      return date.month === holiday.month && date.day === holiday.day;
    case "rrule": {
      const utc = (d: Temporal.PlainDate) => new Date(Date.UTC(d.year, d.month - 1, d.day));
      const rule = new RRule({
        ...RRule.parseString(holiday.rrule),
        dtstart: utc(Temporal.PlainDate.from(holiday.start)),
      });
      const firstStart = date.subtract({ days: (holiday.days ?? 1) - 1 });
      return rule.between(utc(firstStart), utc(date), true).length > 0;
    }
    case "jp-national":
      return Object.hasOwn(holidayJp.holidays, date.toString());
  }
}

/** Marks every minute from `fromMs` for ORACLE_DAYS days as open or closed, one by one. */
function oracleMinutes(schedule: Schedule, fromMs: number): Uint8Array {
  const open = new Uint8Array(ORACLE_DAYS * 1440);
  const tz = schedule.timeZone;
  let date = Temporal.Instant.fromEpochMilliseconds(fromMs).toZonedDateTimeISO(tz).toPlainDate()
    .subtract({ days: 1 });
  for (let d = 0; d <= ORACLE_DAYS + 1; d++, date = date.add({ days: 1 })) {
    if (schedule.holidays.some((holiday) => oracleIsHoliday(holiday, date))) continue;
    for (const { start, end } of schedule.weekly[date.dayOfWeek as 1] ?? []) {
      const startTime = Temporal.PlainTime.from(start);
      const endTime = Temporal.PlainTime.from(end);
      const endDate = Temporal.PlainTime.compare(endTime, startTime) > 0
        ? date
        : date.add({ days: 1 });
      const startMs = date.toPlainDateTime(startTime).toZonedDateTime(tz).epochMilliseconds;
      const endMs = endDate.toPlainDateTime(endTime).toZonedDateTime(tz).epochMilliseconds;
      for (let t = startMs; t < endMs; t += MINUTE) {
        const i = (t - fromMs) / MINUTE;
        if (i >= 0 && i < open.length) open[i] = 1;
      }
    }
  }
  return open;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

const timeArb = fc.oneof(
  fc.integer({ min: 0, max: 95 }).map((quarter) => quarter * 15),
  fc.integer({ min: 0, max: 1439 }),
  // Wall times inside or next to New York's and Berlin's DST gaps and overlaps.
  {
    arbitrary: fc.constantFrom(0, 60, 90, 120, 150, 165, 180, 190, 210, 240),
    weight: 2,
  },
).map((m) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`);

const weeklyArb = fc.array(
  fc.array(fc.record({ start: timeArb, end: timeArb }), { maxLength: 3 }),
  { minLength: 7, maxLength: 7 },
).map((days) => Object.fromEntries(days.map((day, i) => [i + 1, day])) as WeeklyHours);

const zoneAndStartArb = fc.oneof(
  fc.tuple(
    fc.constantFrom(...ZONES),
    fc.integer({ min: ms("2026-01-01T00:00Z") / MINUTE, max: ms("2027-12-31T00:00Z") / MINUTE })
      .map((minute) => minute * MINUTE),
  ),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 1440, max: 1440 }))
    .map(([[zone, transition], offset]) => [zone, transition + offset * MINUTE] as const),
);

// Holidays are drawn relative to the start date so they fall inside the window the oracle sees.
type HolidaySpec = { kind: Holiday["kind"]; offset: number; length: number; rule: number };
const holidaySpecArb = fc.record({
  kind: fc.constantFrom<Holiday["kind"]>("date", "range", "yearly", "rrule", "jp-national"),
  offset: fc.integer({ min: -2, max: 30 }),
  length: fc.integer({ min: 1, max: 6 }),
  rule: fc.integer({ min: 0, max: 2 }),
});

function toHoliday(spec: HolidaySpec, startDate: Temporal.PlainDate): Holiday {
  const date = startDate.add({ days: spec.offset });
  switch (spec.kind) {
    case "date":
      return { kind: "date", date: date.toString() };
    case "range":
      return {
        kind: "range",
        from: date.toString(),
        to: date.add({ days: spec.length - 1 }).toString(),
      };
    case "yearly":
      return { kind: "yearly", month: date.month, day: date.day };
    case "rrule": {
      const rrules = [
        "FREQ=WEEKLY",
        `FREQ=MONTHLY;BYMONTHDAY=${date.day}`,
        `FREQ=YEARLY;BYMONTH=${date.month};BYDAY=+1MO,-1FR`,
      ];
      return {
        kind: "rrule",
        rrule: rrules[spec.rule],
        start: date.toString(),
        days: spec.length % 3 + 1,
      };
    }
    case "jp-national":
      return { kind: "jp-national" };
  }
}

const scheduleArb = fc.record({
  zoneAndStart: zoneAndStartArb,
  weekly: weeklyArb,
  holidays: fc.array(holidaySpecArb, { maxLength: 4 }),
}).map(({ zoneAndStart: [timeZone, start], weekly, holidays }) => {
  const startDate = Temporal.Instant.fromEpochMilliseconds(start).toZonedDateTimeISO(timeZone)
    .toPlainDate();
  const schedule: Schedule = {
    timeZone,
    weekly,
    holidays: holidays.map((spec) => toHoliday(spec, startDate)),
  };
  return { schedule, start };
});

const NUM_RUNS = 300;

Deno.test("business time: property: addBusinessMinutes agrees with a minute-by-minute oracle", () => {
  fc.assert(
    fc.property(scheduleArb, fc.integer({ min: 0, max: 4000 }), ({ schedule, start }, minutes) => {
      const open = oracleMinutes(schedule, start);
      let expected: number | "beyond" = minutes === 0 ? start : "beyond";
      for (let i = 0, counted = 0; i < open.length && expected === "beyond"; i++) {
        counted += open[i];
        if (counted === minutes) expected = start + (i + 1) * MINUTE;
      }
      const actual = addBusinessMinutes(schedule, start, minutes);
      if (expected === "beyond") {
        assert.ok(actual === null || actual > start + open.length * MINUTE);
      } else {
        assert.equal(local(schedule, actual), local(schedule, expected));
      }
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("business time: property: businessMinutesBetween and nextOpening agree with the oracle", () => {
  fc.assert(
    fc.property(
      scheduleArb,
      fc.integer({ min: 0, max: 20 * 1440 }),
      ({ schedule, start }, span) => {
        const open = oracleMinutes(schedule, start);
        const expected = open.subarray(0, span).reduce((sum, minute) => sum + minute, 0);
        assert.equal(businessMinutesBetween(schedule, start, start + span * MINUTE), expected);
        const firstOpen = open.indexOf(1);
        const opening = nextOpening(schedule, start);
        if (firstOpen >= 0) assert.equal(opening, start + firstOpen * MINUTE);
        else assert.ok(opening === null || opening >= start + open.length * MINUTE);
      },
    ),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("business time: property: openIntervals covers exactly the oracle's open minutes, merged", () => {
  fc.assert(
    fc.property(scheduleArb, ({ schedule, start }) => {
      const open = oracleMinutes(schedule, start);
      const end = start + 14 * 1440 * MINUTE;
      const intervals = openIntervals(schedule, start, end);
      const covered = new Uint8Array(14 * 1440);
      let previousEnd = -Infinity;
      for (const { start: from, end: to } of intervals) {
        // Sorted, non-empty, and separated by a real gap, or they would have been merged.
        assert.ok(previousEnd < from && from < to && from >= start && to <= end);
        previousEnd = to;
        for (let t = from; t < to; t += MINUTE) covered[(t - start) / MINUTE] = 1;
      }
      assert.deepEqual(covered, open.subarray(0, covered.length));
    }),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("business time: property: adding n minutes then measuring gives back n", () => {
  fc.assert(
    fc.property(
      scheduleArb,
      fc.integer({ min: 0, max: MINUTE - 1 }),
      fc.integer({ min: 0, max: 5000 }),
      ({ schedule, start }, jitter, minutes) => {
        const from = start + jitter; // not minute-aligned: a mail arrives at 17:55:23.456
        const due = addBusinessMinutes(schedule, from, minutes);
        fc.pre(due !== null);
        assert.equal(businessMinutesBetween(schedule, from, due!), minutes);
        assert.equal(businessMillisecondsBetween(schedule, from, due!), minutes * MINUTE);
      },
    ),
    { numRuns: NUM_RUNS },
  );
});

Deno.test("business time: property: business time is additive across a split point", () => {
  const offset = fc.integer({ min: 0, max: 10 * 1440 * MINUTE });
  fc.assert(
    fc.property(scheduleArb, offset, offset, offset, ({ schedule, start }, x, y, z) => {
      const [a, b, c] = [start + x, start + y, start + z].sort((p, q) => p - q);
      const whole = businessMillisecondsBetween(schedule, a, c);
      assert.equal(
        businessMillisecondsBetween(schedule, a, b) + businessMillisecondsBetween(schedule, b, c),
        whole,
      );
      assert.equal(businessMillisecondsBetween(schedule, c, a), -whole);
      // Whole minutes add up exactly when every point is on a minute boundary.
      const [am, bm, cm] = [a, b, c].map((t) => t - ((t - start) % MINUTE));
      assert.equal(
        businessMinutesBetween(schedule, am, bm) + businessMinutesBetween(schedule, bm, cm),
        businessMinutesBetween(schedule, am, cm),
      );
    }),
    { numRuns: NUM_RUNS },
  );
});
