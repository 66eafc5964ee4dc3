import assert from "node:assert/strict";
import { ValidationError } from "../../domain/errors.ts";
import {
  checkInput,
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
