import assert from "node:assert/strict";
import { deliveryText } from "../../components/MessageView.tsx";
import { translator } from "../../domain/i18n/mod.ts";

const ja = translator("ja");
const base = { attempts: 0, lastError: null, nextAttemptAt: 0, sentAt: null };
const at = Date.UTC(2026, 11, 1, 3, 5); // 12:05 in Tokyo

Deno.test("delivery text: a relay error reads as words with the next retry, never the raw error", () => {
  const text = deliveryText(
    ja,
    {
      ...base,
      status: "queued",
      attempts: 3,
      lastError: "connect ECONNREFUSED 127.0.0.1:12632",
      nextAttemptAt: at,
    },
    "Asia/Tokyo",
    "ja",
  );
  assert.equal(text, "送信待ち — リレーに接続できません。再試行 3回目: 2026/12/01 12:05");
  assert.doesNotMatch(text, /ECONNREFUSED/);
});

Deno.test("delivery text: a refusal quotes its code; sent and held mail say only their state", () => {
  assert.equal(
    deliveryText(
      ja,
      { ...base, status: "failed", attempts: 1, lastError: "550 5.1.1 user unknown" },
      "UTC",
      "ja",
    ),
    "送信失敗 — 受信側のサーバーが受け取りを拒否しました 5.1.1",
  );
  assert.equal(deliveryText(ja, { ...base, status: "sent" }, "UTC", "ja"), "送信済み");
  assert.equal(
    deliveryText(ja, { ...base, status: "held", lastError: "no relay" }, "UTC", "ja"),
    "未送信: リレー未設定",
  );
  assert.equal(
    deliveryText(
      translator("en"),
      {
        ...base,
        status: "queued",
        attempts: 1,
        lastError: "Connection timeout",
        nextAttemptAt: at,
      },
      "UTC",
      "en",
    ),
    "Queued — The relay does not answer. Retry 1 at 01/12/2026, 03:05",
  );
});
