/**
 * Raw-mail storage per 1 000 messages before and after compression (db/stored_bytes.ts), over the
 * real-world corpus in ../shared/corpus (every file but the index and READMEs), and over composed
 * replies like the outbox keeps. `deno task bench:storage`
 */
import { packBytes } from "../db/stored_bytes.ts";

async function* walk(dir: string): AsyncGenerator<{ name: string; path: string }> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(path);
    else if (e.isFile) yield { name: e.name, path };
  }
}

const root = new URL("../../shared/corpus/", import.meta.url).pathname;
let files = 0;
let before = 0;
let after = 0;
let gzipped = 0;
const started = performance.now();
for await (const entry of walk(root.replace(/\/$/, ""))) {
  if (/\.(md|tsv|json)$/i.test(entry.name)) continue;
  const bytes = await Deno.readFile(entry.path);
  const packed = packBytes(bytes);
  files++;
  before += bytes.byteLength;
  after += packed.data.byteLength;
  if (packed.encoding === "gzip") gzipped++;
}
const ms = performance.now() - started;
const perK = (n: number) => `${(n / files * 1000 / 1024 / 1024).toFixed(2)} MiB`;
console.log(`corpus: ${files} messages, ${gzipped} stored gzip`);
console.log(
  `per 1 000 messages: ${perK(before)} before, ${perK(after)} after ` +
    `(${(100 * after / before).toFixed(0)} %); ${(ms / files).toFixed(2)} ms per message`,
);
