import assert from "node:assert/strict";
import {
  customerLinkState,
  LINK_GRACE_DAYS,
  visibleToCustomer,
} from "../../domain/customer_link_policy.ts";

const DAY = 24 * 3600_000;
const now = 1_800_000_000_000;

Deno.test("customer link policy: valid while open, for the grace period after closing, never once revoked", () => {
  const live = { revokedAt: null };
  for (const status of ["new", "open", "pending"] as const) {
    assert.equal(customerLinkState(live, { status, updatedAt: now - 365 * DAY }, now), "valid");
  }
  for (const status of ["resolved", "no_action"] as const) {
    const within = { status, updatedAt: now - (LINK_GRACE_DAYS * DAY - 1) };
    const past = { status, updatedAt: now - (LINK_GRACE_DAYS * DAY + 1) };
    assert.equal(customerLinkState(live, within, now), "valid");
    assert.equal(customerLinkState(live, past, now), "expired");
  }
  assert.equal(
    customerLinkState({ revokedAt: now - 1 }, { status: "open", updatedAt: now }, now),
    "revoked",
  );
});

Deno.test("customer link policy: customers see what they wrote and what we answered, nothing else", () => {
  assert.ok(visibleToCustomer({ direction: "in", autoKind: "none" }));
  assert.ok(visibleToCustomer({ direction: "out", autoKind: "none" }));
  assert.ok(!visibleToCustomer({ direction: "note", autoKind: "none" }));
  assert.ok(!visibleToCustomer({ direction: "out", autoKind: "auto-reply" }));
  assert.ok(!visibleToCustomer({ direction: "in", autoKind: "bounce" }));
});
