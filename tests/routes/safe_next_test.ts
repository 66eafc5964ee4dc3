import assert from "node:assert/strict";
import fc from "fast-check";
import { safeNextPath } from "../../routes/middleware/session.ts";
import { setupCustomerApp } from "./customer_helpers.ts";

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
  // Dot segments collapse into a protocol-relative "//host" once the URL is normalised.
  ["/.//evil.test/x", "/"],
  ["/x/..//evil.test", "/"],
  ["/%2e%2e//evil.test", "/"],
  ["/%2E//evil.test", "/"],
  ["/./%2e/..//evil.test", "/"],
  ["/x/../../..//evil.test/", "/"],
  ["/.\\/evil.test", "/"],
  ["/tickets/../inbox", "/inbox"],
];

for (const [input, want] of cases) {
  Deno.test(`login redirect: next=${JSON.stringify(input)} goes to ${want}`, () => {
    assert.equal(safeNextPath(input), want);
  });
}

const ORIGIN = "https://help.example.test";
// Characters that make paths interesting to a URL parser, plus a few ordinary ones.
const pathChar = fc.constantFrom(
  "/",
  "/",
  ".",
  "%2e",
  "%2E",
  "\\",
  "%5c",
  "%2f",
  "\t",
  "\n",
  " ",
  "?",
  "#",
  ":",
  "@",
  "a",
  "evil.test",
);

Deno.test("login redirect: whatever is posted, the destination stays on our origin as a one-slash path", () => {
  fc.assert(
    fc.property(fc.array(pathChar, { maxLength: 12 }), (parts) => {
      // Most inputs start with "/": anything else is refused outright and tests nothing.
      const out = safeNextPath(`/${parts.join("")}`);
      assert.ok(out.startsWith("/") && !out.startsWith("//"), out);
      // A browser resolves the Location against the current page, anywhere on our site.
      for (const base of [`${ORIGIN}/login`, `${ORIGIN}/a/b/c?next=x`]) {
        assert.equal(new URL(out, base).origin, ORIGIN, out);
      }
      // Normalising again changes nothing: what we send is what the browser will open.
      assert.equal(safeNextPath(out), out);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("login redirect: a signed-in agent sent to /login?next=/.//evil.test/x stays on the site", async () => {
  const t = await setupCustomerApp();
  try {
    const cookie = await t.login();
    for (const next of ["/.//evil.test/x", "/x/..//evil.test", "/%2e%2e//evil.test"]) {
      const res = await t.request(`/login?next=${encodeURIComponent(next)}`, { cookie });
      assert.equal(res.status, 303);
      assert.equal(res.headers.get("location"), "/", next);
      const post = await t.request("/login", {
        method: "POST",
        body: new URLSearchParams({
          email: "admin@example.test",
          password: "correct horse battery",
          next,
        }),
      });
      assert.equal(post.status, 303);
      assert.equal(post.headers.get("location"), "/", next);
    }
  } finally {
    await t.cleanup();
  }
});
