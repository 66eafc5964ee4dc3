/**
 * Reading old mail for an import: an mbox file (a Gmail Takeout export is one), a Maildir, or a
 * folder of .eml files — one message at a time, with the position after it, so an import can
 * record where it got to and continue there.
 *
 * mbox is streamed: a 2 GB file is read in chunks and only the message at hand is held in memory.
 * A message starts at a line beginning `From ` at the start of the file or after an empty line
 * (mboxo and mboxrd both escape a body line that begins so); `>From `, `>>From ` … lose one `>`
 * (mboxrd). Line endings are kept as they are (LF or CRLF); the empty line mbox puts before the
 * next separator is not part of the message.
 *
 * Folders are read in the order of their sorted file names (Maildir names begin with the delivery
 * time, so that is the order mail arrived); the position is the last name read.
 *
 * An import files in date order (`indexSource` + `readIndexed`): every message's Date header is
 * read first, then the messages are filed oldest first (file order among equal dates; a message
 * without a usable Date keeps the date of the one before it), so a reply never comes before the
 * mail it answers and threads build as they did. The position is then the number of messages
 * filed, valid for as long as the source gives the same index (its fingerprint).
 */
import { headerFields } from "./import_envelope.ts";

export type SourceKind = "mbox" | "maildir" | "eml";

/** One message read from a source, with where the next one begins. */
export interface SourceMessage {
  raw: Uint8Array;
  /** mbox: the byte offset of the message's `From ` line; folders: its file name. */
  where: string;
  /** mbox: the byte offset after the message (where to continue). */
  nextOffset: number;
  /** Folders: the file name (sorted order) to continue after. */
  cursor: string | null;
  /** Bytes (mbox) or files (folders) read so far, of `total`. */
  done: number;
}

/** A message bigger than the import takes; skipped and reported. */
export interface OversizeMessage {
  oversize: true;
  where: string;
  size: number;
  nextOffset: number;
  cursor: string | null;
  done: number;
}

export class SourceError extends Error {}

/** What kind of source a path is: a folder with cur/ and new/ is a Maildir. */
export async function detectSource(path: string): Promise<{ kind: SourceKind; total: number }> {
  let info;
  try {
    info = await Deno.stat(path);
  } catch {
    throw new SourceError(`Cannot read ${path}`);
  }
  if (info.isFile) return { kind: "mbox", total: info.size };
  if (!info.isDirectory) throw new SourceError(`${path} is neither a file nor a folder`);
  const maildir = await isDir(`${path}/cur`) && await isDir(`${path}/new`);
  const kind: SourceKind = maildir ? "maildir" : "eml";
  return { kind, total: (await listFolder(path, kind)).length };
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/** The message files of a folder, relative to it, sorted. */
export async function listFolder(path: string, kind: SourceKind): Promise<string[]> {
  const names: string[] = [];
  if (kind === "maildir") {
    for (const sub of ["cur", "new"]) {
      for await (const e of Deno.readDir(`${path}/${sub}`)) {
        if (e.isFile && !e.name.startsWith(".")) names.push(`${sub}/${e.name}`);
      }
    }
    return names.sort(byKey(kind));
  }
  async function walk(dir: string, rel: string) {
    const entries = [];
    for await (const e of Deno.readDir(dir)) entries.push(e);
    for (const e of entries) {
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(`${dir}/${e.name}`, name);
      else if (e.isFile && /\.eml$/i.test(e.name)) names.push(name);
    }
  }
  await walk(path, "");
  return names.sort(byKey(kind));
}

/** The order of a folder's files: a Maildir's by file name (its delivery time), not cur/ or new/. */
function sortKey(kind: SourceKind, name: string): string {
  return kind === "maildir" ? `${name.slice(4)}\u0000${name}` : name;
}

function byKey(kind: SourceKind) {
  return (a: string, b: string) => {
    const x = sortKey(kind, a), y = sortKey(kind, b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}

/** Reads a folder's messages after `cursor` (a file name), in sorted order. */
export async function* readFolder(
  path: string,
  kind: SourceKind,
  options: { cursor?: string | null; maxBytes?: number } = {},
): AsyncGenerator<SourceMessage | OversizeMessage> {
  const names = await listFolder(path, kind);
  const cursor = options.cursor == null ? null : sortKey(kind, options.cursor);
  const maxBytes = options.maxBytes ?? Infinity;
  let done = 0;
  for (const name of names) {
    done++;
    if (cursor !== null && sortKey(kind, name) <= cursor) continue;
    const file = `${path}/${name}`;
    const size = (await Deno.stat(file)).size;
    if (size > maxBytes) {
      yield { oversize: true, where: name, size, nextOffset: 0, cursor: name, done };
      continue;
    }
    const raw = await Deno.readFile(file);
    yield { raw, where: name, nextOffset: 0, cursor: name, done };
  }
}

const LF = 10;
const CR = 13;
const FROM = new TextEncoder().encode("From ");

function startsWithFrom(line: Uint8Array, at = 0): boolean {
  if (line.length < at + FROM.length) return false;
  for (let i = 0; i < FROM.length; i++) if (line[at + i] !== FROM[i]) return false;
  return true;
}

/** `>From `, `>>From ` …: an escaped body line (mboxrd). */
function escapedFrom(line: Uint8Array): boolean {
  let i = 0;
  while (i < line.length && line[i] === 0x3e) i++;
  return i > 0 && startsWithFrom(line, i);
}

function isEmptyLine(line: Uint8Array): boolean {
  return line.length === 1 || (line.length === 2 && line[0] === CR);
}

/**
 * Reads an mbox file from `offset` (0, or a position an earlier read returned), one message at a
 * time, in chunks of `chunkBytes`.
 */
export async function* readMbox(
  path: string,
  options: { offset?: number; maxBytes?: number; chunkBytes?: number } = {},
): AsyncGenerator<SourceMessage | OversizeMessage> {
  const maxBytes = options.maxBytes ?? Infinity;
  const file = await Deno.open(path, { read: true });
  try {
    const offset = options.offset ?? 0;
    let pos = offset;
    if (pos > 0) await file.seek(pos, Deno.SeekMode.Start);
    const chunk = new Uint8Array(options.chunkBytes ?? 1 << 20);
    let carry = new Uint8Array(0);
    // The message being read: its start, its lines, its size; a pending empty line (which belongs
    // to the message unless a separator follows it).
    let start = -1;
    let parts: Uint8Array[] = [];
    let size = 0;
    let pendingEmpty: Uint8Array | null = null;
    let previousEmpty = true;
    let first = true;

    const finish = (end: number): SourceMessage | OversizeMessage | null => {
      if (start < 0) return null;
      const where = `offset ${start}`;
      const result: SourceMessage | OversizeMessage = size > maxBytes
        ? { oversize: true, where, size, nextOffset: end, cursor: null, done: end }
        : { raw: concat(parts, size), where, nextOffset: end, cursor: null, done: end };
      parts = [];
      size = 0;
      return result;
    };
    const add = (line: Uint8Array) => {
      size += line.length;
      if (size <= maxBytes) parts.push(line.slice());
    };

    // Handles one line (with its line ending); may return a finished message.
    const onLine = (
      line: Uint8Array,
      lineStart: number,
    ): SourceMessage | OversizeMessage | null => {
      let out: SourceMessage | OversizeMessage | null = null;
      if (startsWithFrom(line) && (previousEmpty || first)) {
        out = finish(lineStart);
        pendingEmpty = null;
        start = lineStart;
      } else if (first) {
        throw new SourceError(
          offset === 0
            ? "Not an mbox file: it does not begin with a From line"
            : `The file changed: no message begins at offset ${lineStart}`,
        );
      } else if (start >= 0) {
        if (pendingEmpty) add(pendingEmpty);
        pendingEmpty = null;
        if (isEmptyLine(line)) pendingEmpty = line.slice();
        else add(escapedFrom(line) ? line.subarray(1) : line);
      }
      first = false;
      previousEmpty = isEmptyLine(line);
      return out;
    };

    let lineStart = pos;
    while (true) {
      const n = await file.read(chunk);
      if (n === null) break;
      const data = carry.length ? concat([carry, chunk.subarray(0, n)], carry.length + n) : chunk
        .subarray(0, n);
      let from = 0;
      while (true) {
        const lf = data.indexOf(LF, from);
        if (lf < 0) break;
        const line = data.subarray(from, lf + 1);
        const done = onLine(line, lineStart);
        lineStart += line.length;
        from = lf + 1;
        if (done) yield done;
      }
      carry = data.slice(from);
      pos += n;
    }
    if (carry.length) {
      const done = onLine(carry, lineStart);
      lineStart += carry.length;
      if (done) yield done;
    }
    // The last message: its trailing empty line is mbox's, not the message's.
    const last = finish(lineStart);
    if (last) yield last;
  } finally {
    file.close();
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Reads any source from a saved position. */
export function readSource(
  path: string,
  kind: SourceKind,
  position: { offset: number; cursor: string | null },
  maxBytes?: number,
): AsyncGenerator<SourceMessage | OversizeMessage> {
  return kind === "mbox"
    ? readMbox(path, { offset: position.offset, maxBytes })
    : readFolder(path, kind, { cursor: position.cursor, maxBytes });
}

/** The cursor of a job filing in date order: `date-order:<fingerprint>`. */
export const DATE_ORDER = "date-order";

/** The date of a raw message from its Date header (epoch ms), or null when it has none usable. */
export function messageDate(raw: Uint8Array): number | null {
  const value = headerFields(raw).get("date")?.[0];
  if (!value) return null;
  // "Tue, 1 Dec 2026 10:00:00 +0900 (JST)": the comment is not part of the date.
  const ms = Date.parse(value.replace(/\([^)]*\)/g, " ").trim());
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The order to file messages in, as indices into `dates` (in file order): oldest first; equal
 * dates in file order; a message without a date keeps the date of the one before it in the file.
 */
export function dateOrder(dates: readonly (number | null)[]): number[] {
  let last = -Infinity;
  const keyed = dates.map((date, i) => {
    if (date !== null) last = date;
    return { i, key: date ?? last };
  });
  keyed.sort((a, b) => a.key - b.key || a.i - b.i);
  return keyed.map((k) => k.i);
}

/** One message of a source, located: an mbox offset or a file name, and its date. */
export interface IndexEntry {
  where: string;
  /** mbox: the offset of its `From ` line; folders: 0. */
  offset: number;
  /** Folders: the file name; mbox: null. */
  name: string | null;
  date: number | null;
}

/** A source's messages in filing (date) order, with a fingerprint of that order. */
export interface SourceIndex {
  entries: IndexEntry[];
  /** Changes when the source's messages or their order change; a saved position needs it. */
  fingerprint: string;
}

/** Reads a source through once for its messages' dates and returns them in date order. */
export async function indexSource(
  path: string,
  kind: SourceKind,
  maxBytes = Infinity,
): Promise<SourceIndex> {
  const inFileOrder: IndexEntry[] = [];
  if (kind === "mbox") {
    for await (const m of readMbox(path, { maxBytes })) {
      const offset = Number(m.where.slice("offset ".length));
      inFileOrder.push({
        where: m.where,
        offset,
        name: null,
        date: "raw" in m ? messageDate(m.raw) : null,
      });
    }
  } else {
    for (const name of await listFolder(path, kind)) {
      const file = await Deno.open(`${path}/${name}`, { read: true });
      try {
        const head = new Uint8Array(64 * 1024);
        const n = await file.read(head) ?? 0;
        inFileOrder.push({ where: name, offset: 0, name, date: messageDate(head.subarray(0, n)) });
      } finally {
        file.close();
      }
    }
  }
  const entries = dateOrder(inFileOrder.map((e) => e.date)).map((i) => inFileOrder[i]);
  // FNV-1a over the order: the same source gives the same fingerprint.
  let h = 0x811c9dc5;
  for (const e of entries) {
    const key = `${e.where}|${e.date ?? ""};`;
    for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  }
  return { entries, fingerprint: `${entries.length}-${(h >>> 0).toString(16)}` };
}

/**
 * Reads the messages of an index from position `from` (the number already filed), in its order.
 * `nextOffset` and `done` are the position after each message; `cursor` is `cursor` as given.
 */
export async function* readIndexed(
  path: string,
  kind: SourceKind,
  index: SourceIndex,
  options: { from: number; cursor: string; maxBytes?: number },
): AsyncGenerator<SourceMessage | OversizeMessage> {
  const maxBytes = options.maxBytes ?? Infinity;
  for (let k = options.from; k < index.entries.length; k++) {
    const entry = index.entries[k];
    const position = { nextOffset: k + 1, cursor: options.cursor, done: k + 1 };
    if (kind === "mbox") {
      for await (
        const m of readMbox(path, { offset: entry.offset, maxBytes, chunkBytes: 64 * 1024 })
      ) {
        yield { ...m, ...position };
        break;
      }
      continue;
    }
    const file = `${path}/${entry.name}`;
    const size = (await Deno.stat(file)).size;
    if (size > maxBytes) {
      yield { oversize: true, where: entry.where, size, ...position };
      continue;
    }
    yield { raw: await Deno.readFile(file), where: entry.where, ...position };
  }
}
