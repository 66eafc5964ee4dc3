/**
 * Variables of reply templates: `{{customer.name}}`, `{{ticket.number}}` … Filling replaces the
 * ones we know; what is left (unknown names, values we lack) blocks sending until the agent fills
 * it in by hand. `{{customer_page_url}}` is filled when the reply is sent, with the fresh link
 * minted for that mail.
 *
 * @module
 */

/** The variables a template may use, in the order the editor lists them. */
export const TEMPLATE_VARIABLES = [
  "customer.name",
  "customer.email",
  "ticket.number",
  "ticket.subject",
  "agent.name",
  "department.name",
  "customer_page_url",
] as const;

export type TemplateVariable = typeof TEMPLATE_VARIABLES[number];

/** Filled by the reply service as the mail is composed, never by the composer. */
export const SEND_TIME_VARIABLES: readonly string[] = ["customer_page_url"];

const VARIABLE = /\{\{\s*([^{}\s]{1,64})\s*\}\}/g;

export type TemplateValues = Partial<Record<TemplateVariable, string>>;

/** The body with every known, non-empty variable replaced (one pass: values are not re-read). */
export function fillTemplate(body: string, values: TemplateValues): string {
  return body.replace(VARIABLE, (whole, name: string) => {
    const value = (values as Record<string, string | undefined>)[name];
    return value !== undefined && value !== "" && Object.hasOwn(values, name) ? value : whole;
  });
}

/** The `{{name}}` left in a text that would go out as written, in order, each once. */
export function unfilledVariables(text: string): string[] {
  const names = [...text.matchAll(VARIABLE)].map((m) => m[1]);
  return [...new Set(names.filter((n) => !SEND_TIME_VARIABLES.includes(n)))];
}

/** The variables a template uses that we do not know (likely typos). */
export function unknownVariables(body: string): string[] {
  const known: readonly string[] = TEMPLATE_VARIABLES;
  return [
    ...new Set([...body.matchAll(VARIABLE)].map((m) => m[1]).filter((n) => !known.includes(n))),
  ];
}

/** Replaces the send-time variable with the link minted for this mail. */
export function fillSendTime(text: string, customerPageUrl: string | null): string {
  return text.replace(
    VARIABLE,
    (whole, name: string) =>
      name === "customer_page_url" && customerPageUrl ? customerPageUrl : whole,
  );
}

/** Example values for the template preview. */
export const PREVIEW_VALUES: Record<"ja" | "en", TemplateValues> = {
  ja: {
    "customer.name": "山田 太郎",
    "customer.email": "taro@example.com",
    "ticket.number": "1001",
    "ticket.subject": "請求書の再発行について",
    "agent.name": "佐藤",
    "department.name": "サポート",
    "customer_page_url": "https://help.example.co.jp/c/…",
  },
  en: {
    "customer.name": "Jane Smith",
    "customer.email": "jane@example.com",
    "ticket.number": "1001",
    "ticket.subject": "Invoice copy",
    "agent.name": "Sato",
    "department.name": "Support",
    "customer_page_url": "https://help.example.co.jp/c/…",
  },
};
