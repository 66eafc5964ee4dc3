import assert from "node:assert/strict";
import { exactTime, relativeTime } from "../../domain/relative_time.ts";

const TOKYO = { locale: "ja", timeZone: "Asia/Tokyo" } as const;
const EN = { locale: "en", timeZone: "Asia/Tokyo" } as const;
// 2026-12-01 15:30 in Tokyo.
const NOW = Date.parse("2026-12-01T15:30:00+09:00");
const at = (iso: string) => Date.parse(iso);

Deno.test("relativeTime: under a minute is just now, on either side of the clock", () => {
  assert.equal(relativeTime(NOW, NOW, TOKYO), "たった今");
  assert.equal(relativeTime(NOW - 59_999, NOW, TOKYO), "たった今");
  assert.equal(relativeTime(NOW + 30_000, NOW, EN), "just now");
});

Deno.test("relativeTime: minutes within the hour", () => {
  assert.equal(relativeTime(NOW - 60_000, NOW, TOKYO), "1分前");
  assert.equal(relativeTime(NOW - 3 * 60_000 - 5_000, NOW, TOKYO), "3分前");
  assert.equal(relativeTime(NOW - 59 * 60_000, NOW, EN), "59 min ago");
});

Deno.test("relativeTime: hours earlier the same day", () => {
  assert.equal(relativeTime(NOW - 60 * 60_000, NOW, TOKYO), "1時間前");
  assert.equal(relativeTime(at("2026-12-01T00:01:00+09:00"), NOW, EN), "15 h ago");
});

Deno.test("relativeTime: yesterday is the calendar day in the agent's zone, with the time", () => {
  assert.equal(relativeTime(at("2026-11-30T14:05:00+09:00"), NOW, TOKYO), "昨日 14:05");
  assert.equal(relativeTime(at("2026-11-30T23:59:00+09:00"), NOW, EN), "Yesterday 23:59");
  // 40 minutes ago, across midnight: minutes win over "yesterday".
  const justAfterMidnight = at("2026-12-01T00:30:00+09:00");
  assert.equal(relativeTime(at("2026-11-30T23:50:00+09:00"), justAfterMidnight, TOKYO), "40分前");
  // The same instant is "today" in Tokyo but "yesterday" in New York.
  const instant = at("2026-12-01T01:00:00+09:00"); // 2026-11-30 11:00 in New York
  assert.equal(relativeTime(instant, NOW, TOKYO), "14時間前");
  assert.equal(
    relativeTime(instant, NOW, { locale: "en", timeZone: "America/New_York" }),
    "Yesterday 11:00",
  );
});

Deno.test("relativeTime: earlier this year shows the day; other years the full date", () => {
  assert.equal(relativeTime(at("2026-11-29T09:00:00+09:00"), NOW, TOKYO), "11月29日");
  assert.equal(relativeTime(at("2026-01-01T00:00:00+09:00"), NOW, EN), "1 Jan");
  assert.equal(relativeTime(at("2025-12-31T23:00:00+09:00"), NOW, TOKYO), "2025/12/31");
  assert.equal(relativeTime(at("2019-03-05T10:00:00+09:00"), NOW, EN), "5 Mar 2019");
});

Deno.test("relativeTime: the future (beyond clock skew) is written out, never 'ago'", () => {
  assert.equal(relativeTime(at("2026-12-03T14:05:00+09:00"), NOW, TOKYO), "12月3日 14:05");
  assert.equal(relativeTime(at("2026-12-01T16:00:00+09:00"), NOW, EN), "1 Dec 16:00");
  assert.equal(relativeTime(at("2027-01-02T08:00:00+09:00"), NOW, TOKYO), "2027年1月2日 08:00");
  assert.equal(relativeTime(at("2027-01-02T08:00:00+09:00"), NOW, EN), "2 Jan 2027 08:00");
});

Deno.test("exactTime: the full instant with the weekday, in the agent's zone", () => {
  assert.equal(exactTime(at("2026-11-30T14:05:00+09:00"), TOKYO), "2026/11/30(月) 14:05");
  assert.match(exactTime(at("2026-11-30T14:05:00+09:00"), EN), /Mon.*30\/11\/2026.*14:05/);
});
