import assert from "node:assert/strict";
import { csvCell, csvRow } from "../../../domain/report/csv.ts";
import { parseCsv } from "../../csv_parse.ts";

Deno.test("csv: cells that would start a formula are prefixed with a quote mark", () => {
  for (const bad of ["=SUM(A1)", "+81", "-1+2", "@cmd", "\tx", "\rx"]) {
    assert.equal(csvCell(bad).replace(/^"/, "")[0], "'", JSON.stringify(bad));
  }
  assert.equal(csvCell("=1+1"), "'=1+1");
  assert.equal(csvCell("a=b"), "a=b");
  assert.equal(csvCell(-3), "-3");
});

Deno.test("csv: commas, quotes and line breaks are quoted and read back the same", () => {
  const values = ['a,"b"', "two\nlines", "請求書", "", "=cmd|' /C calc'!A0", "\r\nx"];
  const text = csvRow(values) + csvRow(["x", 1, null]);
  assert.ok(text.endsWith("\r\n"));
  assert.deepEqual(parseCsv(text), [
    ['a,"b"', "two\nlines", "請求書", "", "'=cmd|' /C calc'!A0", "'\r\nx"],
    ["x", "1", ""],
  ]);
});
