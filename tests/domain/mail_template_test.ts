import assert from "node:assert/strict";
import {
  DEFAULT_TEMPLATES,
  LANGS,
  parseTemplateOverrides,
  renderTemplate,
  TEMPLATE_KINDS,
  unknownPlaceholders,
} from "../../domain/mail_template.ts";

Deno.test("mail template: the defaults use only known placeholders, in both languages", () => {
  for (const kind of TEMPLATE_KINDS) {
    for (const lang of LANGS) {
      const t = DEFAULT_TEMPLATES[kind][lang];
      assert.deepEqual(unknownPlaceholders(kind, `${t.subject}\n${t.body}`), [], `${kind}/${lang}`);
    }
  }
  assert.deepEqual(unknownPlaceholders("agents", "{{access_key}} {{ reply_url }}"), [
    "access_key",
    "reply_url",
  ]);
});

Deno.test("mail template: rendering fills values once and keeps the subject on one line", () => {
  const r = renderTemplate(
    { subject: "受付 {{number}}: {{subject}}", body: "{{name}}\r\n{{missing}} {{name}}" },
    { number: "1001", subject: "a\r\nBcc: x@y.z", name: "{{number}}" },
  );
  assert.equal(r.subject, "受付 1001: a Bcc: x@y.z");
  assert.equal(r.body, "{{number}}\n{{missing}} {{number}}");
});

Deno.test("mail template: stored overrides are read defensively", () => {
  assert.deepEqual(parseTemplateOverrides("nope"), {});
  assert.deepEqual(
    parseTemplateOverrides(JSON.stringify({
      customer: { ja: { subject: "s", body: "b" }, en: { subject: 1 } },
      other: { ja: { subject: "s", body: "b" } },
    })),
    { customer: { ja: { subject: "s", body: "b" } } },
  );
});
