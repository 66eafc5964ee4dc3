import assert from "node:assert/strict";
import { AREAS, en, ja } from "../../domain/i18n/catalog.ts";
import {
  elapsed,
  formatBusinessDuration,
  type MessageKey,
  negotiateLocale,
  placeholders,
  translator,
} from "../../domain/i18n/mod.ts";

Deno.test("i18n: Japanese and English have exactly the same keys", () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(ja).sort());
});

Deno.test("i18n: each text has the same placeholders in Japanese and English", () => {
  const differ = (Object.keys(ja) as MessageKey[]).filter((key) =>
    placeholders(ja[key]).sort().join() !== placeholders(en[key]).sort().join()
  );
  assert.deepEqual(differ, []);
});

Deno.test("i18n: no text is empty", () => {
  for (const catalog of [ja, en]) {
    assert.deepEqual(Object.entries(catalog).filter(([, text]) => !text.trim()), []);
  }
});

Deno.test("i18n: no key is defined by two areas (merging would silently keep the last)", () => {
  const seen = new Map<string, string>();
  const twice: string[] = [];
  for (const [area, { ja }] of Object.entries(AREAS)) {
    for (const key of Object.keys(ja)) {
      if (seen.has(key)) twice.push(`${key} (${seen.get(key)}, ${area})`);
      seen.set(key, area);
    }
  }
  assert.deepEqual(twice, []);
  assert.equal(seen.size, Object.keys(ja).length);
});

Deno.test("i18n: placeholders are filled in once; a value's own braces stay as sent", () => {
  const t = translator("en");
  assert.equal(
    t("inquiry.error.fileTooLarge", { name: "{maxMb}.pdf", maxMb: 10 }),
    '"{maxMb}.pdf" is too large (at most 10 MB per file)',
  );
  assert.equal(t("customer.tickets"), "Tickets ({n})");
  assert.equal(translator("ja")("customer.tickets", { n: 3 }), "チケット (3件)");
});

Deno.test("i18n: a key built at run time that is not in the catalog shows as itself", () => {
  assert.equal(translator("ja")("priority.none" as MessageKey), "priority.none");
});

Deno.test("i18n: the locale comes from the setting, then Accept-Language, else Japanese", () => {
  assert.equal(negotiateLocale("en", "ja"), "en");
  assert.equal(negotiateLocale(null, "fr;q=1, en-GB;q=0.8, ja;q=0.5"), "en");
  assert.equal(negotiateLocale(undefined, "fr"), "ja");
  assert.equal(negotiateLocale("de"), "ja");
});

Deno.test("i18n: elapsed time and business durations read naturally in both languages", () => {
  const ja = translator("ja");
  const en = translator("en");
  const now = Date.UTC(2026, 0, 1);
  assert.equal(elapsed(ja, now - 30_000, now), "たった今");
  assert.equal(elapsed(en, now - 5 * 60_000, now), "5 min");
  assert.equal(elapsed(ja, now - 47 * 3_600_000, now), "47時間");
  assert.equal(elapsed(en, now - 3 * 86_400_000, now), "3 d");
  assert.equal(formatBusinessDuration(ja, 80 * 60_000), "1時間20分");
  assert.equal(formatBusinessDuration(en, -45 * 60_000), "45m");
  assert.equal(formatBusinessDuration(en, (50 * 60 + 5) * 60_000), "2d 2h 5m");
});
