/**
 * CSV as spreadsheets read it (RFC 4180): CRLF line ends, fields quoted when they hold a comma,
 * quote or line break, and formula injection neutralised — a cell starting with = + - @, a tab
 * or a CR is prefixed with ' so Excel and LibreOffice show it as text instead of running it.
 * Pure; encoding (UTF-8 with BOM or Shift_JIS) is the writer's job.
 *
 * @module
 */

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: numbers as they are, text neutralised and quoted when needed. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, CRLF-terminated. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(",") + "\r\n";
}

/** The byte-order mark that makes Excel read UTF-8. */
export const UTF8_BOM = "\uFEFF";
