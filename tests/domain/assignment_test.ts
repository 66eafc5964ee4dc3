import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type AssignmentChoice,
  type AssignmentRule,
  type Candidate,
  chooseAssignee,
  isAvailable,
} from "../../domain/assignment.ts";

const NOW = 1_000_000;

const candidate = fc.record({
  id: fc.integer({ min: 1, max: 40 }),
  name: fc.string({ minLength: 1, maxLength: 4 }),
  disabled: fc.boolean(),
  absent: fc.boolean(),
  absentUntil: fc.option(fc.integer({ min: NOW - 10, max: NOW + 10 })),
  inDepartment: fc.boolean(),
  openTickets: fc.integer({ min: 0, max: 5 }),
});
const team = fc.uniqueArray(candidate, { selector: (c) => c.id, maxLength: 8 });

function rule(mode: AssignmentRule["mode"], over: Partial<AssignmentRule> = {}): AssignmentRule {
  return { mode, firstReceiverId: null, roundRobinLast: null, preferredId: null, ...over };
}

function agent(id: number, over: Partial<Candidate> = {}): Candidate {
  return {
    id,
    name: `a${id}`,
    disabled: false,
    absent: false,
    absentUntil: null,
    inDepartment: true,
    openTickets: 0,
    ...over,
  };
}

Deno.test("assignment: no mode ever picks a disabled, absent or out-of-department agent", () => {
  fc.assert(
    fc.property(
      team,
      fc.constantFrom("first_receiver", "round_robin", "least_loaded" as const),
      fc.option(fc.integer({ min: 1, max: 40 })),
      fc.option(fc.integer({ min: 1, max: 40 })),
      (agents, mode, preferredId, last) => {
        const choice = chooseAssignee(
          rule(mode, { preferredId, roundRobinLast: last, firstReceiverId: agents[0]?.id ?? null }),
          agents,
          NOW,
        );
        const available = agents.filter((a) => isAvailable(a, NOW));
        if (available.length === 0) return choice === null;
        if (mode !== "first_receiver") assert.ok(choice, "someone available was not chosen");
        if (choice) assert.ok(available.some((a) => a.id === choice.agentId));
        return true;
      },
    ),
  );
});

Deno.test("assignment: round-robin deals n tickets to k available agents evenly (fairness)", () => {
  fc.assert(
    fc.property(team, fc.integer({ min: 1, max: 60 }), (agents, n) => {
      const available = agents.filter((a) => isAvailable(a, NOW));
      fc.pre(available.length > 0);
      const got = new Map<number, number>();
      let last: number | null = null;
      for (let i = 0; i < n; i++) {
        const choice: AssignmentChoice = chooseAssignee(
          rule("round_robin", { roundRobinLast: last }),
          agents,
          NOW,
        )!;
        got.set(choice.agentId, (got.get(choice.agentId) ?? 0) + 1);
        last = choice.agentId;
      }
      const counts = available.map((a) => got.get(a.id) ?? 0);
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `uneven: ${counts}`);
    }),
  );
});

Deno.test("assignment: round-robin names who is next, and absence that ended counts as present", () => {
  const agents = [
    agent(1, { name: "佐藤" }),
    agent(2, { name: "鈴木" }),
    agent(3, { absent: true }),
  ];
  assert.deepEqual(chooseAssignee(rule("round_robin"), agents, NOW), {
    agentId: 1,
    name: "佐藤",
    via: "round_robin",
    nextName: "鈴木",
  });
  assert.equal(chooseAssignee(rule("round_robin", { roundRobinLast: 2 }), agents, NOW)?.agentId, 1);
  agents[2].absentUntil = NOW;
  assert.equal(chooseAssignee(rule("round_robin", { roundRobinLast: 2 }), agents, NOW)?.agentId, 3);
});

Deno.test("assignment: least-loaded picks a least loaded agent; ties rotate", () => {
  fc.assert(
    fc.property(team, fc.option(fc.integer({ min: 1, max: 40 })), (agents, last) => {
      const available = agents.filter((a) => isAvailable(a, NOW));
      fc.pre(available.length > 0);
      const choice = chooseAssignee(rule("least_loaded", { roundRobinLast: last }), agents, NOW)!;
      const least = Math.min(...available.map((a) => a.openTickets));
      assert.equal(available.find((a) => a.id === choice.agentId)!.openTickets, least);
    }),
  );
  const tied = [
    agent(1, { openTickets: 2 }),
    agent(2, { openTickets: 1 }),
    agent(3, { openTickets: 1 }),
  ];
  assert.equal(chooseAssignee(rule("least_loaded"), tied, NOW)?.agentId, 2);
  assert.equal(chooseAssignee(rule("least_loaded", { roundRobinLast: 2 }), tied, NOW)?.agentId, 3);
  assert.equal(chooseAssignee(rule("least_loaded", { roundRobinLast: 3 }), tied, NOW)?.agentId, 2);
});

Deno.test("assignment: the customer's last agent comes first when available; manual picks nobody", () => {
  const agents = [agent(1), agent(2), agent(3, { disabled: true })];
  assert.equal(
    chooseAssignee(rule("round_robin", { preferredId: 2 }), agents, NOW)?.via,
    "last_agent",
  );
  assert.equal(chooseAssignee(rule("round_robin", { preferredId: 3 }), agents, NOW)?.agentId, 1);
  assert.equal(chooseAssignee(rule("manual", { preferredId: 2 }), agents, NOW), null);
  assert.equal(
    chooseAssignee(rule("first_receiver", { firstReceiverId: 2 }), agents, NOW)?.agentId,
    2,
  );
  assert.equal(chooseAssignee(rule("first_receiver", { firstReceiverId: 3 }), agents, NOW), null);
});
