/**
 * Keyword and category routing rules (自動振り分けルール): an ordered list an admin keeps, read
 * for every new ticket before automatic assignment. A rule matches when every condition it sets
 * holds; its actions set the department, the assignee, tags and the priority. Rules apply in
 * order, and for each action the first matching rule that sets it wins (later rules only add
 * tags); a disabled rule never applies. Pure: the caller reads the rules and the ticket.
 */
import type { Priority } from "./priority.ts";

export interface RoutingConditions {
  /** Words, any of which in the subject matches (comma-separated in the form). */
  subject?: string[];
  body?: string[];
  /** Sender domains; a subdomain matches too ("example.com" matches "mail.example.com"). */
  senderDomain?: string[];
  senderAddress?: string[];
  /** The inquiry form's category (its Japanese label), compared whole. */
  category?: string[];
}

export interface RoutingActions {
  departmentId?: number;
  assigneeId?: number;
  tagIds?: number[];
  priority?: Priority;
}

export interface RoutingRule {
  id: number;
  name: string;
  enabled: boolean;
  conditions: RoutingConditions;
  actions: RoutingActions;
}

/** What a new ticket offers to the rules. */
export interface RoutingInput {
  subject: string;
  body: string;
  /** The customer's address. */
  sender: string;
  /** The form category's label; null for mail and API tickets. */
  category: string | null;
}

/** One rule that applied, with the actions it decided (for the history). */
export interface AppliedRule {
  ruleId: number;
  name: string;
  actions: RoutingActions;
}

export interface RoutingDecision extends RoutingActions {
  tagIds: number[];
  applied: AppliedRule[];
}

export const CONDITION_KEYS = [
  "subject",
  "body",
  "senderDomain",
  "senderAddress",
  "category",
] as const;

/** Case- and width-insensitive text for comparing words (NFKC, lower case). */
export function foldText(s: string): string {
  return s.normalize("NFKC").toLowerCase();
}

/** Splits a form's "返金, 払い戻し" into words; blanks are dropped. */
export function splitWords(s: string): string[] {
  return [...new Set(s.split(/[,、\n]/).map((w) => w.trim()).filter(Boolean))];
}

function domainOf(address: string): string {
  const at = address.lastIndexOf("@");
  return at < 0 ? "" : address.slice(at + 1);
}

/** Whether `domain` is `wanted` or one of its subdomains. */
export function domainMatches(domain: string, wanted: string): boolean {
  const d = foldText(domain).replace(/\.$/, "");
  const w = foldText(wanted).replace(/^@/, "").replace(/\.$/, "");
  return w !== "" && (d === w || d.endsWith(`.${w}`));
}

/** Whether a rule has at least one condition (a rule without any would match everything). */
export function hasConditions(c: RoutingConditions): boolean {
  return CONDITION_KEYS.some((k) => (c[k]?.length ?? 0) > 0);
}

/** Whether every condition the rule sets holds for the ticket. */
export function ruleMatches(rule: RoutingRule, input: RoutingInput): boolean {
  const c = rule.conditions;
  if (!hasConditions(c)) return false;
  const contains = (text: string, words: string[] | undefined) => {
    if (!words?.length) return true;
    const hay = foldText(text);
    return words.some((w) => hay.includes(foldText(w)));
  };
  if (!contains(input.subject, c.subject)) return false;
  if (!contains(input.body, c.body)) return false;
  const domain = domainOf(input.sender);
  if (c.senderDomain?.length && !c.senderDomain.some((w) => domainMatches(domain, w))) {
    return false;
  }
  if (
    c.senderAddress?.length &&
    !c.senderAddress.some((a) => foldText(a) === foldText(input.sender))
  ) return false;
  if (c.category?.length) {
    const category = input.category === null ? null : foldText(input.category.trim());
    if (category === null || !c.category.some((w) => foldText(w.trim()) === category)) {
      return false;
    }
  }
  return true;
}

/** What the rules decide for a new ticket (see the module comment). */
export function decideRouting(
  rules: readonly RoutingRule[],
  input: RoutingInput,
): RoutingDecision {
  const decision: RoutingDecision = { tagIds: [], applied: [] };
  for (const rule of rules) {
    if (!rule.enabled || !ruleMatches(rule, input)) continue;
    const a = rule.actions;
    const took: RoutingActions = {};
    if (a.departmentId !== undefined && decision.departmentId === undefined) {
      decision.departmentId = took.departmentId = a.departmentId;
    }
    if (a.assigneeId !== undefined && decision.assigneeId === undefined) {
      decision.assigneeId = took.assigneeId = a.assigneeId;
    }
    if (a.priority !== undefined && decision.priority === undefined) {
      decision.priority = took.priority = a.priority;
    }
    const newTags = (a.tagIds ?? []).filter((id) => !decision.tagIds.includes(id));
    if (newTags.length) {
      decision.tagIds.push(...newTags);
      took.tagIds = newTags;
    }
    if (Object.keys(took).length) {
      decision.applied.push({ ruleId: rule.id, name: rule.name, actions: took });
    }
  }
  return decision;
}

/** The admin form's fields as typed (kept to show again beside an error). */
export interface RoutingRuleForm {
  name: string;
  enabled: boolean;
  subject: string;
  body: string;
  senderDomain: string;
  senderAddress: string;
  category: string;
  departmentId: string;
  assigneeId: string;
  tagIds: string[];
  priority: string;
}

/** A rule as its form shows it. */
export function ruleToForm(rule: Omit<RoutingRule, "id"> | null): RoutingRuleForm {
  const c = rule?.conditions ?? {};
  const a = rule?.actions ?? {};
  const words = (w: string[] | undefined) => (w ?? []).join(", ");
  return {
    name: rule?.name ?? "",
    enabled: rule?.enabled ?? true,
    subject: words(c.subject),
    body: words(c.body),
    senderDomain: words(c.senderDomain),
    senderAddress: words(c.senderAddress),
    category: words(c.category),
    departmentId: a.departmentId === undefined ? "" : String(a.departmentId),
    assigneeId: a.assigneeId === undefined ? "" : String(a.assigneeId),
    tagIds: (a.tagIds ?? []).map(String),
    priority: a.priority ?? "",
  };
}

function optionalId(s: string): number | undefined {
  const n = Number(s);
  return s !== "" && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** The rule a form describes; limits on lengths here, existence is the service's to check. */
export function ruleFromForm(
  f: RoutingRuleForm,
  isPriority: (p: string) => p is Priority,
): Omit<RoutingRule, "id"> {
  const words = (s: string) => splitWords(s.slice(0, 2000)).map((w) => w.slice(0, 200));
  const conditions: RoutingConditions = {};
  for (const k of CONDITION_KEYS) {
    const list = words(f[k]);
    if (list.length) conditions[k] = list;
  }
  const actions: RoutingActions = {};
  const departmentId = optionalId(f.departmentId);
  if (departmentId !== undefined) actions.departmentId = departmentId;
  const assigneeId = optionalId(f.assigneeId);
  if (assigneeId !== undefined) actions.assigneeId = assigneeId;
  const tagIds = [...new Set(f.tagIds.map(optionalId).filter((n) => n !== undefined))];
  if (tagIds.length) actions.tagIds = tagIds as number[];
  if (isPriority(f.priority)) actions.priority = f.priority;
  return { name: f.name.trim(), enabled: f.enabled, conditions, actions };
}
