import assert from "node:assert/strict";
import {
  compileSchedule,
  type Holiday,
  InvalidScheduleError,
  parseIcsHolidays,
  type Schedule,
  validateSchedule,
} from "../../domain/schedule.ts";

const weekdays9to6 = { start: "09:00", end: "18:00" };

function schedule(overrides: Partial<Schedule>): Schedule {
  return {
    timeZone: "Asia/Tokyo",
    weekly: { 1: [weekdays9to6], 2: [weekdays9to6], 3: [weekdays9to6] },
    holidays: [],
    ...overrides,
  };
}

const validationCases: Array<{ name: string; schedule: Schedule; errors: string[] }> = [
  { name: "a plain office schedule is valid", schedule: schedule({}), errors: [] },
  {
    name: "touching intervals and a lunch break are valid",
    schedule: schedule({
      weekly: { 1: [{ start: "09:00", end: "12:00" }, { start: "12:00", end: "18:00" }] },
    }),
    errors: [],
  },
  {
    name: "an overnight shift ending where the next morning starts is valid",
    schedule: schedule({
      weekly: { 1: [{ start: "22:00", end: "06:00" }], 2: [{ start: "06:00", end: "14:00" }] },
    }),
    errors: [],
  },
  {
    name: "an unknown time zone is reported",
    schedule: schedule({ timeZone: "Mars/Olympus" }),
    errors: ['Unknown time zone "Mars/Olympus"'],
  },
  {
    name: "times that are not HH:MM are reported, 24:00 only as an end",
    schedule: schedule({
      weekly: {
        1: [{ start: "9:00", end: "18:00" }],
        2: [{ start: "24:00", end: "12:60" }],
        3: [{ start: "20:00", end: "24:00" }],
      },
    }),
    errors: [
      'Monday: start "9:00" is not a HH:MM time',
      'Tuesday: start "24:00" is not a HH:MM time',
      'Tuesday: end "12:60" is not a HH:MM time',
    ],
  },
  {
    name: "a zero-based weekday key is reported",
    schedule: schedule({ weekly: { 0: [weekdays9to6] } as unknown as Schedule["weekly"] }),
    errors: ['Unknown weekday "0" (use 1 = Monday … 7 = Sunday)'],
  },
  {
    name: "overlapping intervals on one day are reported",
    schedule: schedule({
      weekly: { 4: [{ start: "09:00", end: "12:00" }, { start: "11:30", end: "13:00" }] },
    }),
    errors: ["Thursday 09:00–12:00 overlaps Thursday 11:30–13:00"],
  },
  {
    name: "an overnight shift overlapping the next morning is reported",
    schedule: schedule({
      weekly: { 1: [{ start: "22:00", end: "06:00" }], 2: [{ start: "05:00", end: "09:00" }] },
    }),
    errors: ["Monday 22:00–06:00 overlaps Tuesday 05:00–09:00"],
  },
  {
    name: "a Sunday night shift overlapping Monday morning is reported",
    schedule: schedule({
      weekly: { 1: [{ start: "05:00", end: "09:00" }], 7: [{ start: "22:00", end: "06:00" }] },
    }),
    errors: ["Monday 05:00–09:00 overlaps Sunday 22:00–06:00"],
  },
  {
    name: "broken holidays are reported with their position and name",
    schedule: schedule({
      holidays: [
        { kind: "date", date: "2026-02-30" },
        { kind: "range", from: "2026-05-06", to: "2026-05-03", name: "Golden Week" },
        { kind: "yearly", month: 2, day: 30 },
        { kind: "rrule", rrule: "FREQ=SOMETIMES", start: "2026-01-01" },
        { kind: "date", date: "1/1/2026" },
      ],
    }),
    errors: [
      'Holiday 1: "2026-02-30" is not a calendar date',
      'Holiday 2 (Golden Week): "2026-05-06" is after "2026-05-03"',
      "Holiday 3: 2/30 is not a calendar day",
      'Holiday 4: "FREQ=SOMETIMES" is not a valid RRULE',
      'Holiday 5: "1/1/2026" is not a YYYY-MM-DD date',
    ],
  },
];

for (const { name, schedule, errors } of validationCases) {
  Deno.test(`schedule: ${name}`, () => {
    assert.deepEqual(validateSchedule(schedule), errors);
  });
}

Deno.test("schedule: compiling a schedule with a bad zone throws InvalidScheduleError", () => {
  assert.throws(
    () => compileSchedule(schedule({ timeZone: "Tokyo" })),
    (error) =>
      error instanceof InvalidScheduleError &&
      error.errors.length === 1 && error.message === 'Invalid schedule: Unknown time zone "Tokyo"',
  );
});

Deno.test("schedule: overlaps are reported but still compile (hours are their union)", () => {
  const overlapping = schedule({
    weekly: { 1: [{ start: "09:00", end: "12:00" }, { start: "11:00", end: "13:00" }] },
  });
  assert.equal(validateSchedule(overlapping).length, 1);
  assert.deepEqual(compileSchedule(overlapping).weekly[1], [
    { start: 540, end: 720 },
    { start: 660, end: 780 },
  ]);
});

Deno.test("schedule: an overnight interval and 24:00 end are stored as minutes past midnight", () => {
  const compiled = compileSchedule(schedule({
    weekly: {
      5: [{ start: "22:00", end: "06:00" }, { start: "08:00", end: "24:00" }],
      6: [{ start: "00:00", end: "00:00" }],
    },
  }));
  assert.deepEqual(compiled.weekly[5], [{ start: 480, end: 1440 }, { start: 1320, end: 1800 }]);
  assert.deepEqual(compiled.weekly[6], [{ start: 0, end: 1440 }]);
  assert.equal(compiled.hasHours, true);
  assert.equal(compileSchedule(schedule({ weekly: {} })).hasHours, false);
});

const holidayCases: Array<{ name: string; holiday: Holiday; closed: string[]; open: string[] }> = [
  {
    name: "a single date closes only that date",
    holiday: { kind: "date", date: "2026-01-01" },
    closed: ["2026-01-01"],
    open: ["2025-12-31", "2026-01-02", "2027-01-01"],
  },
  {
    name: "a range closes both ends and everything between",
    holiday: { kind: "range", from: "2026-12-29", to: "2027-01-03" },
    closed: ["2026-12-29", "2026-12-31", "2027-01-01", "2027-01-03"],
    open: ["2026-12-28", "2027-01-04"],
  },
  {
    name: "a yearly date closes every year",
    holiday: { kind: "yearly", month: 1, day: 1 },
    closed: ["2026-01-01", "2027-01-01", "2040-01-01"],
    open: ["2026-01-02", "2026-12-31"],
  },
  {
    name: "a yearly Feb 29 closes only in leap years",
    holiday: { kind: "yearly", month: 2, day: 29 },
    closed: ["2028-02-29"],
    open: ["2027-02-28", "2027-03-01", "2028-02-28", "2028-03-01"],
  },
  {
    name: "an RRULE holiday follows the rule from its start date (Coming of Age Day)",
    holiday: { kind: "rrule", rrule: "FREQ=YEARLY;BYMONTH=1;BYDAY=2MO", start: "2000-01-10" },
    closed: ["2026-01-12", "2027-01-11", "2028-01-10"],
    open: ["2026-01-05", "2026-01-19", "2027-01-12"],
  },
  {
    name: "an RRULE holiday does not close dates before its start",
    holiday: { kind: "rrule", rrule: "RRULE:FREQ=YEARLY", start: "2027-05-01" },
    closed: ["2027-05-01", "2028-05-01"],
    open: ["2026-05-01"],
  },
  {
    name: "a multi-day RRULE holiday spills across New Year",
    holiday: { kind: "rrule", rrule: "FREQ=YEARLY", start: "2020-12-30", days: 4 },
    closed: ["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"],
    open: ["2026-12-29", "2027-01-03"],
  },
];

for (const { name, holiday, closed, open } of holidayCases) {
  Deno.test(`schedule: ${name}`, () => {
    const { isHoliday } = compileSchedule(schedule({ holidays: [holiday] }));
    for (const date of closed) assert.equal(isHoliday(Temporal.PlainDate.from(date)), true, date);
    for (const date of open) assert.equal(isHoliday(Temporal.PlainDate.from(date)), false, date);
  });
}

// A small Japanese holiday calendar in the shape Google Calendar and Outlook export, with CRLF
// endings, a folded line, an escaped comma, a VALARM and a timed event that is not a day off.
const japaneseHolidaysIcs = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//Madoguchi//Test//JA",
  "BEGIN:VEVENT",
  "UID:ganjitsu@example.jp",
  "DTSTART;VALUE=DATE:20260101",
  "DTEND;VALUE=DATE:20260102",
  "RRULE:FREQ=YEARLY",
  "SUMMARY:元日",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:seijin@example.jp",
  "DTSTART;VALUE=DATE:20260112",
  "DTEND;VALUE=DATE:20260113",
  "RRULE:FREQ=YEARLY;BYMONTH=1;BYDAY=2MO",
  "SUMMARY:成人の",
  " 日",
  "BEGIN:VALARM",
  "TRIGGER:-PT15M",
  "DESCRIPTION:Reminder",
  "END:VALARM",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:kenkoku@example.jp",
  "DTSTART;VALUE=DATE:20260211",
  "SUMMARY:建国記念の日",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:nenmatsu@example.jp",
  "DTSTART;VALUE=DATE:20261229",
  "DTEND;VALUE=DATE:20270104",
  "SUMMARY:年末年始休業\\, 全社",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:meeting@example.jp",
  "DTSTART;TZID=Asia/Tokyo:20260115T100000",
  "DTEND;TZID=Asia/Tokyo:20260115T110000",
  "SUMMARY:Team meeting",
  "END:VEVENT",
  "BEGIN:VEVENT",
  "UID:cancelled@example.jp",
  "DTSTART;VALUE=DATE:20260301",
  "STATUS:CANCELLED",
  "SUMMARY:Cancelled day off",
  "END:VEVENT",
  "END:VCALENDAR",
  "",
].join("\r\n");

const expectedJapaneseHolidays: Holiday[] = [
  { kind: "rrule", rrule: "FREQ=YEARLY", start: "2026-01-01", days: 1, name: "元日" },
  {
    kind: "rrule",
    rrule: "FREQ=YEARLY;BYMONTH=1;BYDAY=2MO",
    start: "2026-01-12",
    days: 1,
    name: "成人の日",
  },
  { kind: "date", date: "2026-02-11", name: "建国記念の日" },
  { kind: "range", from: "2026-12-29", to: "2027-01-03", name: "年末年始休業, 全社" },
];

Deno.test("schedule: ICS import reads all-day events, yearly rules and exclusive DTEND", () => {
  assert.deepEqual(parseIcsHolidays(japaneseHolidaysIcs), expectedJapaneseHolidays);
});

Deno.test("schedule: ICS import accepts bare LF line endings", () => {
  const lf = japaneseHolidaysIcs.replaceAll("\r\n", "\n");
  assert.deepEqual(parseIcsHolidays(lf), expectedJapaneseHolidays);
});

Deno.test("schedule: imported Japanese holidays close the right dates in later years", () => {
  const holidays = parseIcsHolidays(japaneseHolidaysIcs);
  assert.deepEqual(validateSchedule(schedule({ holidays })), []);
  const { isHoliday } = compileSchedule(schedule({ holidays }));
  const closed = ["2027-01-01", "2027-01-11", "2026-02-11", "2026-12-31", "2027-01-03"];
  const open = ["2025-01-01", "2027-01-04", "2027-02-11", "2026-01-15", "2026-03-01"];
  for (const date of closed) assert.equal(isHoliday(Temporal.PlainDate.from(date)), true, date);
  for (const date of open) assert.equal(isHoliday(Temporal.PlainDate.from(date)), false, date);
});

Deno.test("schedule: ICS import skips malformed events and ignores text outside events", () => {
  const ics = [
    "DTSTART;VALUE=DATE:20260101",
    "BEGIN:VEVENT",
    "DTSTART;VALUE=DATE:20260231",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "DTSTART;VALUE=DATE:20260505",
    "RRULE:FREQ=NEVER",
    "END:VEVENT",
    "BEGIN:VEVENT",
    "DTSTART:20260506",
    "DURATION:P2D",
    "END:VEVENT",
  ].join("\n");
  assert.deepEqual(parseIcsHolidays(ics), [
    { kind: "range", from: "2026-05-06", to: "2026-05-07" },
  ]);
  assert.deepEqual(parseIcsHolidays(""), []);
});
