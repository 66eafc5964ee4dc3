/**
 * Import figures: reading a big mbox (streamed: memory stays flat) and filing N messages.
 *
 *   deno task bench:import [--mbox-mb 200] [--messages 1000]
 */
import { parseArgs } from "node:util";
import { openStore } from "../db/client.ts";
import { readMbox } from "../mail/mailbox_source.ts";
import { senderFromConfig } from "../mail/sender.ts";
import { loadConfig } from "../config.ts";
import { prepareImport, runImport } from "../services/import.ts";

const args = parseArgs({
  args: Deno.args,
  options: { "mbox-mb": { type: "string" }, messages: { type: "string" } },
}).values;
const mboxMb = Number(args["mbox-mb"] ?? 200);
const count = Number(args.messages ?? 1000);
const dir = await Deno.makeTempDir({ prefix: "madoguchi-bench-import-" });
const enc = new TextEncoder();

function message(i: number): string {
  const thread = Math.floor(i / 4);
  return `From bench@example.com Thu Jan  1 00:00:00 2026\n` +
    `From: customer${thread % 200}@example.com\nTo: support@example.test\n` +
    `Subject: ${i % 4 ? "Re: " : ""}question ${thread}\nMessage-ID: <bench-${i}@example.com>\n` +
    (i % 4 ? `In-Reply-To: <bench-${i - 1}@example.com>\n` : "") +
    `Content-Type: text/plain; charset=utf-8\n\n` +
    `${"お問い合わせの本文です。\n".repeat(60)}>From a quoted line\n\n`;
}

try {
  // 1. Reading: a big mbox, streamed.
  const big = `${dir}/big.mbox`;
  const file = await Deno.open(big, { write: true, create: true });
  const block = enc.encode(Array.from({ length: 200 }, (_, i) => message(i)).join(""));
  for (let written = 0; written < mboxMb * 1024 * 1024; written += block.length) {
    for (let at = 0; at < block.length;) at += await file.write(block.subarray(at));
  }
  file.close();
  const size = (await Deno.stat(big)).size;
  const rssBefore = Deno.memoryUsage().rss;
  let peak = rssBefore;
  let n = 0;
  const t0 = performance.now();
  for await (const _ of readMbox(big)) {
    if (++n % 5000 === 0) peak = Math.max(peak, Deno.memoryUsage().rss);
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `read ${(size / 1048576).toFixed(0)} MB mbox: ${n} messages in ${seconds.toFixed(1)} s ` +
      `(${(size / 1048576 / seconds).toFixed(0)} MB/s), RSS ${
        (rssBefore / 1048576).toFixed(0)
      } → ` +
      `peak ${(peak / 1048576).toFixed(0)} MB`,
  );
  await Deno.remove(big);

  // 2. Filing: N messages (threads of 4) through receiveMail.
  const small = `${dir}/small.mbox`;
  await Deno.writeTextFile(small, Array.from({ length: count }, (_, i) => message(i)).join(""));
  const config = loadConfig({ MADOGUCHI_DATA_DIR: dir });
  const store = await openStore(`file:${dir}/bench.db`);
  try {
    const rt = {
      store,
      sender: senderFromConfig(config),
      wakers: { timers() {}, outbox() {} },
      now: Date.now,
    };
    const job = await prepareImport(rt, { path: small });
    const t1 = performance.now();
    const done = await runImport(rt, job.id);
    const s = (performance.now() - t1) / 1000;
    console.log(
      `filed ${done.messages} messages (${done.created} tickets, ${done.joined} joined) in ` +
        `${s.toFixed(1)} s: ${(done.messages / s).toFixed(0)} msg/s`,
    );
  } finally {
    await store.close();
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
