import assert from "node:assert/strict";
import { ValidationError } from "../../domain/errors.ts";
import { translator } from "../../domain/i18n/mod.ts";
import {
  checkbox,
  checkInput,
  localized,
  object,
  oneOf,
  orElse,
  parseInput,
  text,
  v,
  wholeNumber,
} from "../../domain/validation.ts";

const Body = v.object({
  name: text({ required: true, max: 5 }),
  note: text({ multiline: true }),
  kind: oneOf(["a", "b"] as const),
  count: wholeNumber({ min: 1, max: 10 }),
  nested: object({ email: text({ required: true }) }),
});

function fieldsOf(input: unknown) {
  const checked = checkInput(Body, input);
  assert.equal(checked.ok, false);
  return checked.ok ? {} : checked.fields;
}

Deno.test("validation: valid input comes out typed, trimmed, with blanks as undefined", () => {
  const out = parseInput(Body, {
    name: " ok ",
    note: "a\r\nb \n",
    kind: "",
    count: "7",
    extra: "dropped",
  });
  assert.deepEqual(out, {
    name: "ok",
    note: "a\nb",
    kind: undefined,
    count: 7,
  });
});

Deno.test("validation: each field reports its first problem under its path", () => {
  assert.deepEqual(fieldsOf({}), { name: "is required" });
  assert.deepEqual(
    fieldsOf({ name: 42, kind: "c", count: "0", nested: { email: " " } }),
    {
      name: "must be a string",
      kind: "must be one of: a, b",
      count: "must be a whole number from 1 to 10",
      "nested.email": "is required",
    },
  );
  assert.deepEqual(fieldsOf({ name: "toolong", nested: [] }), {
    name: "must be at most 5 characters",
    nested: "must be an object",
  });
  assert.deepEqual(fieldsOf({ name: "a\r\nb" }), {
    name: "must not contain line breaks or control characters",
  });
  assert.deepEqual(fieldsOf({ name: "ok", nested: {} }), { "nested.email": "is required" });
  const Id = v.object({ id: wholeNumber({ min: 1, max: 9, required: true }) });
  assert.deepEqual(checkInput(Id, {}), { ok: false, fields: { id: "is required" } });
  assert.deepEqual(checkInput(Id, { id: "" }), { ok: false, fields: { id: "is required" } });
  assert.deepEqual(checkInput(Id, { id: "4" }), { ok: true, value: { id: 4 } });
});

Deno.test("validation: parseInput throws one ValidationError with every field", () => {
  assert.throws(
    () => parseInput(Body, { count: 1.5 }),
    (e) =>
      e instanceof ValidationError &&
      e.message === "The request has invalid fields" &&
      Object.keys(e.fields).sort().join() === "count,name",
  );
});

Deno.test("validation: orElse gives the fallback for an absent or invalid query value", () => {
  const Page = orElse(wholeNumber({ min: 1, max: 9 }), 1);
  assert.equal(v.parse(Page, undefined), 1);
  assert.equal(v.parse(Page, "x"), 1);
  assert.equal(v.parse(Page, "99"), 1);
  assert.equal(v.parse(Page, "3"), 3);
});

const ja = translator("ja");
const en = translator("en");

Deno.test("validation: with a translate function, every field kind's problem reads in that language", () => {
  const problems = { name: "toolong", kind: "c", count: "0", nested: [] };
  const checked = checkInput(Body, problems, ja);
  assert.deepEqual(checked, {
    ok: false,
    fields: {
      name: "5文字以内で入力してください",
      kind: "一覧から選択してください",
      count: "1〜10 の整数を入力してください",
      nested: "入力内容を確認してください",
    },
  });
  assert.deepEqual(checkInput(Body, { name: "a\r\nb" }, en), {
    ok: false,
    fields: { name: "Line breaks and control characters are not allowed here" },
  });
  // A key the form never posted reads as missing, not as a type error.
  const Id = v.object({ id: wholeNumber({ min: 1, max: 9, required: true }) });
  assert.deepEqual(checkInput(Id, {}, ja), { ok: false, fields: { id: "入力してください" } });
  // The API's wording is untouched by the same schemas.
  assert.deepEqual(fieldsOf(problems), {
    name: "must be at most 5 characters",
    kind: "must be one of: a, b",
    count: "must be a whole number from 1 to 10",
    nested: "must be an object",
  });
});

Deno.test("validation: a schema message can be a catalog key with values from the refused input", () => {
  const Form = v.object({
    email: text({
      pattern: /@/,
      patternMessage: localized("inquiry.error.email", undefined, "must be an e-mail address"),
    }),
    names: v.pipe(
      text({ required: true, requiredMessage: localized("setup.nameRequired") }),
      v.check(
        (s) => !s.includes("{{"),
        localized("automation.unknownPlaceholder", (input) => ({ names: String(input) })),
      ),
    ),
  });
  assert.deepEqual(checkInput(Form, { email: "x", names: "{{a}}" }, en), {
    ok: false,
    fields: {
      email: "This is not a valid e-mail address",
      names: "Unknown placeholders: {{a}}",
    },
  });
  assert.deepEqual(checkInput(Form, { names: " " }, ja), {
    ok: false,
    fields: { names: "名前を入力してください" },
  });
  assert.deepEqual(checkInput(Form, { email: "x", names: "" }), {
    ok: false,
    fields: { email: "must be an e-mail address", names: "is invalid" },
  });
  // A message that is plain English (no key) shows the catalog's generic text on a page.
  const Plain = v.object({ a: v.pipe(v.string(), v.check((s) => s === "x", "must be x")) });
  assert.deepEqual(checkInput(Plain, { a: "y" }, en), {
    ok: false,
    fields: { a: "Check this value" },
  });
});

Deno.test("validation: one-line text refuses CR, LF, NUL, ESC and the Unicode line separators", () => {
  const Line = v.object({ s: text({ max: 50 }) });
  for (const bad of ["a\rb", "a\nb", "a\u0000b", "a\u001bb", "a\u2028b", "a\u2029b", "a\u007fb"]) {
    assert.deepEqual(checkInput(Line, { s: bad }), {
      ok: false,
      fields: { s: "must not contain line breaks or control characters" },
    }, JSON.stringify(bad));
  }
  assert.deepEqual(checkInput(Line, { s: "a\tb" }), { ok: true, value: { s: "a\tb" } });
  assert.deepEqual(checkInput(Line, { s: "x".repeat(51) }, ja), {
    ok: false,
    fields: { s: "50文字以内で入力してください" },
  });
  assert.deepEqual(checkInput(Line, { s: " " + "x".repeat(50) + "\n" }), {
    ok: true,
    value: { s: "x".repeat(50) },
  }, "the limit counts the trimmed value");
});

Deno.test("validation: multi-line text keeps tabs and line breaks but refuses other control characters", () => {
  const Body = v.object({ s: text({ multiline: true }) });
  assert.deepEqual(checkInput(Body, { s: "a\r\n\tb\rc" }), { ok: true, value: { s: "a\n\tb\nc" } });
  assert.deepEqual(checkInput(Body, { s: "a\u0000b" }, ja), {
    ok: false,
    fields: { s: "制御文字は使えません" },
  });
  assert.deepEqual(checkInput(Body, { s: "a\u0007b" }), {
    ok: false,
    fields: { s: "must not contain control characters" },
  });
});

Deno.test("validation: whole numbers refuse fractions, signs, exponents and values out of range", () => {
  const N = v.object({ n: wholeNumber({ min: 1, max: 365, required: true }) });
  for (const bad of ["0", "366", "-1", "1.5", "1e2", "0x10", "12a", 1.5, 400, Number.NaN]) {
    assert.deepEqual(checkInput(N, { n: bad }, en), {
      ok: false,
      fields: { n: "Enter a whole number from 1 to 365" },
    }, String(bad));
  }
  assert.deepEqual(checkInput(N, { n: " 365 " }), { ok: true, value: { n: 365 } });
  assert.deepEqual(checkInput(N, { n: "99999999999999999999" }).ok, false);
});

Deno.test("validation: full-width digits fold to ASCII when a field asks for it", () => {
  const Phone = v.object({ p: text({ nfkc: true, pattern: /^[0-9-]+$/ }) });
  assert.deepEqual(checkInput(Phone, { p: "０３－１２３４" }), {
    ok: true,
    value: { p: "03-1234" },
  });
});

Deno.test("validation: a checkbox is true only for its own value", () => {
  const Box = v.object({ on: checkbox(), one: checkbox("1") });
  assert.deepEqual(v.parse(Box, { on: "on", one: "1" }), { on: true, one: true });
  assert.deepEqual(v.parse(Box, { on: "1", one: "on" }), { on: false, one: false });
  assert.deepEqual(v.parse(Box, {}), { on: false, one: false });
});
