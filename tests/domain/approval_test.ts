import assert from "node:assert/strict";
import { approvalReasons, firstRepliesLimit } from "../../domain/approval.ts";

const base = { agentRequiresApproval: false, role: "agent", text: "確認します" };

Deno.test("approval: an agent below the first-N limit needs approval, at N no longer", () => {
  assert.deepEqual(approvalReasons({ ...base, firstReplies: { limit: 3, sent: 2 } }), [
    "first_replies:3",
  ]);
  assert.deepEqual(approvalReasons({ ...base, firstReplies: { limit: 3, sent: 3 } }), []);
  assert.deepEqual(approvalReasons({ ...base, firstReplies: { limit: 0, sent: 0 } }), []);
  // Approvers are never held.
  assert.deepEqual(
    approvalReasons({ ...base, role: "supervisor", firstReplies: { limit: 3, sent: 0 } }),
    [],
  );
});

Deno.test("approval: a department's first-N limit overrides the global one; blank follows it", () => {
  assert.equal(firstRepliesLimit(5, null), 5);
  assert.equal(firstRepliesLimit(5, 0), 0);
  assert.equal(firstRepliesLimit(0, 2), 2);
});
