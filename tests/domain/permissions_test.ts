import assert from "node:assert/strict";
import {
  type Action,
  ACTIONS,
  assignmentAction,
  can,
  canSee,
  type Role,
  ROLES,
} from "../../domain/permissions.ts";

/** The matrix as the issue states it: admin everything, supervisor more than agent. */
const EXPECTED: Record<Role, Action[]> = {
  admin: [...ACTIONS],
  supervisor: [
    "ticket.view",
    "ticket.reply",
    "ticket.update",
    "ticket.note",
    "ticket.tag",
    "ticket.transfer",
    "ticket.take",
    "ticket.reassign",
    "views.share",
    "reports.view",
  ],
  agent: [
    "ticket.view",
    "ticket.reply",
    "ticket.update",
    "ticket.note",
    "ticket.tag",
    "ticket.transfer",
    "ticket.take",
  ],
};

Deno.test("permissions: role × action matrix", () => {
  for (const role of ROLES) {
    for (const action of ACTIONS) {
      const actor = { kind: "agent" as const, id: 1, role };
      assert.equal(can(actor, action), EXPECTED[role].includes(action), `${role} ${action}`);
    }
  }
});

Deno.test("permissions: an unknown role, a customer may nothing; the system everything", () => {
  for (const action of ACTIONS) {
    assert.equal(can({ kind: "agent", id: 1, role: "owner" }, action), false);
    assert.equal(can({ kind: "customer" }, action), false);
    assert.equal(can({ kind: "system" }, action), true);
  }
});

Deno.test("permissions: an agent takes unassigned or own tickets; reassigning is for supervisors", () => {
  const me = { kind: "agent" as const, id: 7, role: "agent" };
  const boss = { kind: "agent" as const, id: 8, role: "supervisor" };
  const free = { departmentId: 1, assigneeId: null };
  const mine = { departmentId: 1, assigneeId: 7 };
  const theirs = { departmentId: 1, assigneeId: 9 };
  assert.equal(assignmentAction(me, free, 7), "ticket.take");
  assert.equal(assignmentAction(me, mine, null), "ticket.take");
  assert.equal(assignmentAction(me, theirs, 7), "ticket.reassign");
  assert.equal(assignmentAction(me, free, 9), "ticket.reassign");
  assert.equal(can(me, "ticket.take", free), true);
  assert.equal(can(me, "ticket.take", theirs), false);
  assert.equal(can(me, "ticket.reassign", free), false);
  assert.equal(can(boss, "ticket.take", theirs), true);
  assert.equal(can(boss, "ticket.reassign", theirs), true);
});

Deno.test("permissions: a restricted agent sees only their departments; admins see all", () => {
  const t2 = { departmentId: 2, assigneeId: null };
  const restricted = { kind: "agent" as const, id: 1, role: "agent", departmentIds: [1] };
  assert.equal(canSee(restricted, t2), false);
  assert.equal(can(restricted, "ticket.reply", t2), false);
  assert.equal(canSee({ ...restricted, departmentIds: [1, 2] }, t2), true);
  assert.equal(canSee({ ...restricted, departmentIds: null }, t2), true);
  assert.equal(canSee({ ...restricted, role: "admin" }, t2), true);
});
