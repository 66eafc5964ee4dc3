import assert from "node:assert/strict";
import { timeLeft } from "../../components/SlaPanel.tsx";
import { translator } from "../../domain/i18n/mod.ts";

const ja = translator("ja");

Deno.test("sla cell: business time is named only when the department keeps business hours", () => {
  assert.equal(timeLeft(ja, 80 * 60_000, true), "期限まで 1時間20分 (営業時間)");
  assert.equal(timeLeft(ja, 80 * 60_000, false), "期限まで 1時間20分");
  assert.equal(timeLeft(ja, -15 * 60_000, true), "期限超過 15分 (営業時間)");
  assert.equal(timeLeft(ja, -15 * 60_000, false), "期限超過 15分");
});

Deno.test("sla cell: a deadline passed while closed reads 期限超過, never 期限超過 0分", () => {
  assert.equal(timeLeft(ja, 0, true), "期限超過");
  assert.equal(timeLeft(ja, -30_000, true), "期限超過");
  assert.equal(timeLeft(translator("en"), 0, false), "overdue");
});
