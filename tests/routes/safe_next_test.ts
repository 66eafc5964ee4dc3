import assert from "node:assert/strict";
import { safeNextPath } from "../../routes/middleware/session.ts";

const cases: [string | null, string][] = [
  ["/tickets/1001", "/tickets/1001"],
  ["/tickets/1001?x=1#reply", "/tickets/1001?x=1#reply"],
  ["/", "/"],
  [null, "/"],
  ["", "/"],
  ["https://evil.example/", "/"],
  ["//evil.example/x", "/"],
  ["/\\evil.example", "/"],
  ["/\t/evil.example/x", "/"],
  ["/\n/evil.example", "/"],
  ["/ /evil.example", "/"],
  ["javascript:alert(1)", "/"],
  ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
];

for (const [input, want] of cases) {
  Deno.test(`login redirect: next=${JSON.stringify(input)} goes to ${want}`, () => {
    assert.equal(safeNextPath(input), want);
  });
}
