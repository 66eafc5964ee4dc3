/**
 * A multipart upload streamed to disk, for files far bigger than memory (a 2 GB mbox): the body is
 * written to a temporary file as it arrives, then the file part's bytes are copied out of it by
 * offset. The form must put its file input last: fields after it are not read.
 */

export class UploadError extends Error {
  constructor(message: string, readonly tooLarge = false) {
    super(message);
  }
}

export interface SpooledUpload {
  fields: Record<string, string>;
  file: { path: string; name: string; size: number } | null;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const HEAD = 1 << 20;

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = hay.indexOf(needle[0], from); i >= 0; i = hay.indexOf(needle[0], i + 1)) {
    if (i + needle.length > hay.length) return -1;
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function lastIndexOf(hay: Uint8Array, needle: Uint8Array): number {
  for (let i = hay.length - needle.length; i >= 0; i--) {
    let ok = true;
    for (let j = 0; j < needle.length && ok; j++) ok = hay[i + j] === needle[j];
    if (ok) return i;
  }
  return -1;
}

/** A file name safe on disk: letters, digits, dot, dash, underscore. */
function safeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  return base.replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^\.+/, "").slice(-80) || "upload";
}

/** Streams the request's multipart body to `dir`; the file lands at `dir/<time>-<name>`. */
export async function spoolUpload(
  req: Request,
  dir: string,
  maxBytes: number,
  now: number,
): Promise<SpooledUpload> {
  const type = req.headers.get("content-type") ?? "";
  const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!boundary || !req.body) throw new UploadError("Expected a multipart/form-data upload");
  await Deno.mkdir(dir, { recursive: true });
  const spool = `${dir}/.upload-${crypto.randomUUID()}`;
  try {
    let size = 0;
    const out = await Deno.open(spool, { write: true, createNew: true });
    try {
      for await (const chunk of req.body) {
        size += chunk.length;
        if (size > maxBytes) throw new UploadError("The upload is too large", true);
        for (let at = 0; at < chunk.length;) at += await out.write(chunk.subarray(at));
      }
    } finally {
      out.close();
    }
    const file = await Deno.open(spool, { read: true });
    try {
      const head = new Uint8Array(Math.min(size, HEAD));
      await readFully(file, head, 0);
      const delimiter = enc.encode(`--${boundary}`);
      const fields: Record<string, string> = {};
      let at = indexOf(head, delimiter);
      while (at >= 0) {
        const headersStart = at + delimiter.length + 2;
        if (head[at + delimiter.length] === 0x2d) break; // the closing delimiter
        const headersEnd = indexOf(head, enc.encode("\r\n\r\n"), headersStart);
        if (headersEnd < 0) throw new UploadError("Malformed upload");
        const headers = dec.decode(head.subarray(headersStart, headersEnd));
        const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? "";
        const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
        const start = headersEnd + 4;
        if (filename !== undefined) {
          // The file part: its end is the closing delimiter at the end of the body.
          const tailSize = Math.min(size, 4096);
          const tail = new Uint8Array(tailSize);
          await readFully(file, tail, size - tailSize);
          const close = lastIndexOf(tail, enc.encode(`\r\n--${boundary}`));
          if (close < 0) throw new UploadError("Malformed upload");
          const end = size - tailSize + close;
          if (!filename || end <= start) return { fields, file: null };
          const path = `${dir}/${new Date(now).toISOString().replace(/[:.]/g, "-")}-${
            safeName(filename)
          }`;
          await copyRange(file, start, end, path);
          return { fields, file: { path, name: filename, size: end - start } };
        }
        const next = indexOf(head, enc.encode(`\r\n--${boundary}`), start);
        if (next < 0) throw new UploadError("Malformed upload");
        fields[name] = dec.decode(head.subarray(start, next));
        at = next + 2;
      }
      return { fields, file: null };
    } finally {
      file.close();
    }
  } finally {
    await Deno.remove(spool).catch(() => {});
  }
}

async function readFully(file: Deno.FsFile, into: Uint8Array, offset: number) {
  await file.seek(offset, Deno.SeekMode.Start);
  for (let at = 0; at < into.length;) {
    const n = await file.read(into.subarray(at));
    if (n === null) throw new UploadError("Malformed upload");
    at += n;
  }
}

async function copyRange(src: Deno.FsFile, start: number, end: number, path: string) {
  const out = await Deno.open(path, { write: true, createNew: true });
  try {
    const buf = new Uint8Array(1 << 20);
    for (let at = start; at < end;) {
      const want = Math.min(buf.length, end - at);
      await readFully(src, buf.subarray(0, want), at);
      for (let w = 0; w < want;) w += await out.write(buf.subarray(w, want));
      at += want;
    }
  } finally {
    out.close();
  }
}
