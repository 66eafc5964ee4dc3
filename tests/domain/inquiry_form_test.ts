import assert from "node:assert/strict";
import {
  acceptsFiles,
  defaultFormFields,
  inquirySubject,
  inquiryText,
  MAX_FILE_BYTES,
  parseFormFields,
  safeFilename,
  validateInquiry,
} from "../../domain/inquiry_form.ts";

const fields = defaultFormFields();
const good = {
  name: "山田",
  email: "taro@example.com",
  subject: "件名",
  text: "本文",
  category: "",
};

Deno.test("inquiry form: a department without configuration gets the defaults; e-mail and text stay on", () => {
  assert.deepEqual(parseFormFields(null), fields);
  assert.deepEqual(parseFormFields("not json"), fields);
  const parsed = parseFormFields(JSON.stringify([
    { type: "email", enabled: false, required: false },
    { type: "bogus" },
    { type: "text", enabled: false },
  ]));
  assert.deepEqual(parsed.slice(0, 2).map((f) => [f.type, f.enabled, f.required]), [
    ["email", true, true],
    ["text", true, false],
  ]);
  assert.equal(parsed.length, 7, "fields missing from a stored definition come back, switched off");
  assert.ok(parsed.slice(2).every((f) => !f.enabled));
});

Deno.test("inquiry form: valid input passes, values come back trimmed", () => {
  const r = validateInquiry(fields, { ...good, name: "  山田  ", text: "a\r\nb" }, []);
  assert.deepEqual(r.errors, {});
  assert.equal(r.values.name, "山田");
  assert.equal(r.values.text, "a\nb");
});

Deno.test("inquiry form: each kind of bad input gets its own error", () => {
  const r = validateInquiry(fields, {
    name: "a\nb",
    email: "a@b",
    subject: "x".repeat(201),
    text: "",
    category: "9",
  }, []);
  assert.deepEqual(r.errors, {
    name: { code: "lineBreak" },
    email: { code: "email" },
    subject: { code: "tooLong", max: 200 },
    text: { code: "required" },
    category: { code: "option" },
  });
  for (
    const email of ["a b@example.com", "a@example.com\r\nBcc: x@y.z", "<a@example.com>", "a@-x.com"]
  ) {
    assert.deepEqual(validateInquiry(fields, { ...good, email }, []).errors, {
      email: { code: email.includes("\n") ? "lineBreak" : "email" },
    }, email);
  }
});

Deno.test("inquiry form: upload limits and file names", () => {
  const file = (size: number, name = "a.pdf") => ({ name, type: "application/pdf", size });
  const on = fields.map((f) => f.type === "attachments" ? { ...f, enabled: true } : f);
  assert.deepEqual(validateInquiry(on, good, [file(10)]).errors, {});
  assert.equal(
    validateInquiry(on, good, Array(6).fill(file(1))).errors.attachments?.code,
    "tooManyFiles",
  );
  assert.equal(
    validateInquiry(on, good, [file(MAX_FILE_BYTES + 1)]).errors.attachments?.code,
    "fileTooLarge",
  );
  assert.equal(
    validateInquiry(on, good, Array(3).fill(file(MAX_FILE_BYTES))).errors.attachments?.code,
    "totalTooLarge",
  );
  assert.equal(safeFilename("C:\\Users\\x\\..\\請求書.pdf"), "請求書.pdf");
  assert.equal(safeFilename("../../etc/passwd"), "passwd");
  assert.equal(safeFilename("a\u0000b\r\n.txt"), "ab.txt");
  assert.equal(safeFilename(""), "attachment");
});

Deno.test("inquiry form: the ticket's subject and text for agents", () => {
  const noSubject = fields.map((f) => f.type === "subject" ? { ...f, enabled: false } : f);
  const values = { ...good, subject: "", category: "0", phone: "", text: "一行目\n二行目" };
  assert.equal(inquirySubject(noSubject, values), "【製品・サービスについて】一行目");
  assert.equal(inquirySubject(noSubject, { ...values, category: "" }), "一行目");
  assert.equal(
    inquiryText(noSubject, values),
    "一行目\n二行目\n\n----\nお名前: 山田\nメールアドレス: taro@example.com\nお問い合わせの種類: 製品・サービスについて",
  );
});

Deno.test("inquiry form: only a form with its attachment field on takes files", () => {
  assert.equal(acceptsFiles(fields), true);
  const off = fields.map((f) => f.type === "attachments" ? { ...f, enabled: false } : f);
  assert.equal(acceptsFiles(off), false);
  assert.equal(acceptsFiles(parseFormFields(JSON.stringify([{ type: "email" }]))), false);
});
