import assert from "node:assert/strict";
import {
  acceptsFiles,
  defaultFormFields,
  inquirySchema,
  inquirySubject,
  inquiryText,
  MAX_FILE_BYTES,
  parseFormFields,
  safeFilename,
  type UploadedFile,
} from "../../domain/inquiry_form.ts";
import { checkInput } from "../../domain/validation.ts";
import { type MessageKey, type MessageVars, translator } from "../../domain/i18n/mod.ts";

// A translate function that shows the catalog key itself: the tests read which message was chosen.
const keys = (key: MessageKey, vars?: MessageVars) => vars ? `${key} ${JSON.stringify(vars)}` : key;

function validateInquiry(
  form: typeof fields,
  posted: Record<string, string>,
  files: UploadedFile[],
  t = keys,
) {
  return checkInput(inquirySchema(form), { ...posted, attachments: files }, t);
}

function errorsOf(checked: ReturnType<typeof validateInquiry>) {
  return checked.ok ? {} : checked.fields;
}

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
  const r = validateInquiry(fields, { ...good, name: "  山田  ", text: "a\r\nb", phone: "1" }, []);
  assert.deepEqual(r, {
    ok: true,
    value: {
      name: "山田",
      email: "taro@example.com",
      phone: "",
      category: "",
      subject: "件名",
      text: "a\nb",
    },
  }, "a field the form does not show (phone) carries nothing");
});

Deno.test("inquiry form: each kind of bad input gets its own error", () => {
  const r = validateInquiry(fields, {
    name: "a\nb",
    email: "a@b",
    subject: "x".repeat(201),
    text: "",
    category: "9",
  }, []);
  assert.deepEqual(errorsOf(r), {
    name: "form.lineBreak",
    email: "inquiry.error.email",
    subject: 'form.tooLong {"max":200}',
    text: "form.required",
    category: "form.option",
  });
  assert.deepEqual(
    errorsOf(validateInquiry(fields, { ...good, subject: "" }, [], translator("ja"))),
    {
      subject: "入力してください",
    },
  );
  for (
    const email of ["a b@example.com", "a@example.com\r\nBcc: x@y.z", "<a@example.com>", "a@-x.com"]
  ) {
    assert.deepEqual(errorsOf(validateInquiry(fields, { ...good, email }, [])), {
      email: email.includes("\n") ? "form.lineBreak" : "inquiry.error.email",
    }, email);
  }
});

Deno.test("inquiry form: upload limits and file names", () => {
  const file = (size: number, name = "a.pdf") => ({ name, type: "application/pdf", size });
  const on = fields.map((f) => f.type === "attachments" ? { ...f, enabled: true } : f);
  assert.equal(validateInquiry(on, good, [file(10)]).ok, true);
  assert.deepEqual(
    errorsOf(validateInquiry(on, good, Array(6).fill(file(1)))),
    { attachments: 'inquiry.error.tooManyFiles {"max":5}' },
  );
  assert.deepEqual(
    errorsOf(validateInquiry(on, good, [file(1), file(MAX_FILE_BYTES + 1, "大.pdf")])),
    { attachments: 'inquiry.error.fileTooLarge {"name":"大.pdf","maxMb":10}' },
  );
  assert.deepEqual(
    errorsOf(validateInquiry(on, good, Array(3).fill(file(MAX_FILE_BYTES)))),
    { attachments: 'inquiry.error.totalTooLarge {"maxMb":20}' },
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

Deno.test("inquiry form: a phone number typed full-width is folded; other shapes are refused", () => {
  const phoneOn = fields.map((f) =>
    f.type === "phone" ? { ...f, enabled: true, required: true } : f
  );
  const ok = validateInquiry(phoneOn, { ...good, phone: " ０３－１２３４－５６７８ " }, []);
  assert.equal(ok.ok && ok.value.phone, "03-1234-5678");
  for (const phone of ["call me", "03\r\n1234", "0".repeat(31)]) {
    assert.equal(
      errorsOf(validateInquiry(phoneOn, { ...good, phone }, [])).phone !== undefined,
      true,
      phone,
    );
  }
  assert.deepEqual(errorsOf(validateInquiry(phoneOn, { ...good, phone: "call me" }, [])), {
    phone: "inquiry.error.phone",
  });
});

Deno.test("inquiry form: control characters in the message are refused, over-long text too", () => {
  assert.deepEqual(errorsOf(validateInquiry(fields, { ...good, text: "a\u0000b" }, [])), {
    text: "form.control",
  });
  assert.deepEqual(errorsOf(validateInquiry(fields, { ...good, text: "x".repeat(20_001) }, [])), {
    text: 'form.tooLong {"max":20000}',
  });
  assert.equal(validateInquiry(fields, { ...good, text: "a\tb\r\nc" }, []).ok, true);
});
