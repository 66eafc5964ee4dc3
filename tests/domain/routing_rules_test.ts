import assert from "node:assert/strict";
import fc from "fast-check";
import {
  decideRouting,
  domainMatches,
  type RoutingInput,
  type RoutingRule,
  ruleFromForm,
  ruleMatches,
  ruleToForm,
} from "../../domain/routing_rules.ts";
import { isPriority, PRIORITIES } from "../../domain/priority.ts";

const input = (over: Partial<RoutingInput> = {}): RoutingInput => ({
  subject: "返金のお願い",
  body: "注文番号 123 の返金をお願いします",
  sender: "taro@mail.example.co.jp",
  category: null,
  ...over,
});

const rule = (over: Partial<RoutingRule> = {}): RoutingRule => ({
  id: 1,
  name: "返金",
  enabled: true,
  conditions: { subject: ["返金"] },
  actions: { departmentId: 2 },
  ...over,
});

Deno.test("routing: a sender domain matches itself and its subdomains, never a lookalike", () => {
  assert.equal(domainMatches("example.co.jp", "example.co.jp"), true);
  assert.equal(domainMatches("mail.example.co.jp", "example.co.jp"), true);
  assert.equal(domainMatches("MAIL.Example.CO.JP", "@example.co.jp"), true);
  assert.equal(domainMatches("badexample.co.jp", "example.co.jp"), false);
  assert.equal(domainMatches("example.co.jp.evil.test", "example.co.jp"), false);
  assert.equal(domainMatches("example.co.jp", ""), false);
});

Deno.test("routing: every condition a rule sets must hold; words are width- and case-blind", () => {
  assert.equal(ruleMatches(rule(), input()), true);
  assert.equal(
    ruleMatches(
      rule({ conditions: { subject: ["ＲＥＦＵＮＤ"] } }),
      input({ subject: "refund please" }),
    ),
    true,
  );
  assert.equal(
    ruleMatches(
      rule({ conditions: { subject: ["返金"], senderDomain: ["example.com"] } }),
      input(),
    ),
    false,
  );
  assert.equal(
    ruleMatches(
      rule({ conditions: { body: ["解約", "返金"], senderDomain: ["example.co.jp"] } }),
      input(),
    ),
    true,
  );
  assert.equal(
    ruleMatches(rule({ conditions: { senderAddress: ["TARO@mail.example.co.jp"] } }), input()),
    true,
  );
  // A category condition never matches mail (no category), and matches a form's label whole.
  const billing = rule({ conditions: { category: ["ご請求・お支払いについて"] } });
  assert.equal(ruleMatches(billing, input()), false);
  assert.equal(ruleMatches(billing, input({ category: "ご請求・お支払いについて" })), true);
  assert.equal(ruleMatches(billing, input({ category: "ご請求" })), false);
  // A rule without conditions would match everything: it matches nothing.
  assert.equal(ruleMatches(rule({ conditions: {} }), input()), false);
});

Deno.test("routing: each setting comes from the first matching rule; tags add up; the history names each rule", () => {
  const rules: RoutingRule[] = [
    rule({
      id: 1,
      name: "VIP",
      conditions: { senderDomain: ["example.co.jp"] },
      actions: { priority: "high", tagIds: [7] },
    }),
    rule({ id: 2, name: "返金", actions: { departmentId: 2, priority: "low", tagIds: [7, 8] } }),
    rule({ id: 3, name: "off", enabled: false, actions: { assigneeId: 9 } }),
    rule({
      id: 4,
      name: "unmatched",
      conditions: { subject: ["見積"] },
      actions: { assigneeId: 5 },
    }),
  ];
  const d = decideRouting(rules, input());
  assert.equal(d.priority, "high");
  assert.equal(d.departmentId, 2);
  assert.equal(d.assigneeId, undefined);
  assert.deepEqual(d.tagIds, [7, 8]);
  assert.deepEqual(d.applied, [
    { ruleId: 1, name: "VIP", actions: { priority: "high", tagIds: [7] } },
    { ruleId: 2, name: "返金", actions: { departmentId: 2, tagIds: [8] } },
  ]);
});

Deno.test("routing: a form round-trips to the same rule", () => {
  const r = rule({
    conditions: { subject: ["返金", "払い戻し"], senderDomain: ["example.co.jp"] },
    actions: { departmentId: 2, assigneeId: 3, tagIds: [4, 5], priority: "urgent" },
  });
  const back = ruleFromForm(ruleToForm(r), isPriority);
  assert.deepEqual(back, {
    name: r.name,
    enabled: true,
    conditions: r.conditions,
    actions: r.actions,
  });
  const typed = ruleFromForm({
    ...ruleToForm(null),
    name: " x ",
    subject: "返金、 払い戻し,,",
    priority: "bogus",
  }, isPriority);
  assert.deepEqual(typed, {
    name: "x",
    enabled: true,
    conditions: { subject: ["返金", "払い戻し"] },
    actions: {},
  });
});

const WORDS = ["返金", "解約", "請求", "refund", "見積"];
const arbRule = (id: number) =>
  fc.record({
    enabled: fc.boolean(),
    subject: fc.subarray(WORDS, { minLength: 1, maxLength: 2 }),
    departmentId: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    assigneeId: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    priority: fc.option(fc.constantFrom(...PRIORITIES), { nil: undefined }),
    tagIds: fc.subarray([1, 2, 3, 4]),
  }).map((x): RoutingRule => ({
    id,
    name: `r${id}`,
    enabled: x.enabled,
    conditions: { subject: x.subject },
    actions: {
      ...(x.departmentId === undefined ? {} : { departmentId: x.departmentId }),
      ...(x.assigneeId === undefined ? {} : { assigneeId: x.assigneeId }),
      ...(x.priority === undefined ? {} : { priority: x.priority }),
      ...(x.tagIds.length ? { tagIds: x.tagIds } : {}),
    },
  }));
const arbRules = fc.integer({ min: 0, max: 6 }).chain((n) =>
  fc.tuple(...Array.from({ length: n }, (_, i) => arbRule(i + 1)))
);
const arbInput = fc.subarray(WORDS).map((w) => input({ subject: w.join(" "), body: "" }));

Deno.test("routing (property): each setting is the first matching enabled rule's; disabled rules never apply", () => {
  fc.assert(fc.property(arbRules, arbInput, (rules, inp) => {
    const d = decideRouting(rules, inp);
    const live = rules.filter((r) => r.enabled && ruleMatches(r, inp));
    for (const key of ["departmentId", "assigneeId", "priority"] as const) {
      assert.equal(d[key], live.find((r) => r.actions[key] !== undefined)?.actions[key]);
    }
    assert.deepEqual(new Set(d.tagIds), new Set(live.flatMap((r) => r.actions.tagIds ?? [])));
    const disabled = new Set(rules.filter((r) => !r.enabled).map((r) => r.id));
    assert.ok(d.applied.every((a) => !disabled.has(a.ruleId)));
    // Turning every rule off decides nothing.
    const off = decideRouting(rules.map((r) => ({ ...r, enabled: false })), inp);
    assert.deepEqual(off, { tagIds: [], applied: [] });
  }));
});
