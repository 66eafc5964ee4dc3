/**
 * Peak memory of the SMTP listener under large concurrent mail: K connections each send one
 * M-MiB message at once to the real `startInboundSmtp` on a temp database, while the process's
 * RSS is sampled. Prints the baseline, the peak, and how many got 250 / 452.
 *
 *   deno task bench:smtp-memory            # K=8 messages of 24 MiB, the case
 *   deno task bench:smtp-memory --k 4 --mb 10
 */
import net from "node:net";
import { openStore } from "../db/client.ts";
import { senderFromConfig } from "../mail/sender.ts";
import { loadConfig } from "../config.ts";
import type { Runtime } from "../services/context.ts";
import { receiveMail } from "../services/inbound_mail.ts";
import { startInboundSmtp } from "../mail/smtp_server.ts";

function arg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  const n = i >= 0 ? Number(Deno.args[i + 1]) : fallback;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} expects a positive number`);
  return n;
}
const K = arg("k", 8);
const MB = arg("mb", 24);

/** One SMTP transaction on a raw socket; resolves with the final reply line. */
function send(port: number, body: Uint8Array): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    const script = [
      "EHLO bench.example\r\n",
      "MAIL FROM:<bench@example.com>\r\n",
      "RCPT TO:<support@example.test>\r\n",
      "DATA\r\n",
    ];
    let buffer = "";
    socket.setEncoding("latin1");
    socket.on("error", reject);
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (line[3] === "-") continue;
        if (line.startsWith("354")) {
          socket.write(body);
          socket.write("\r\n.\r\n");
        } else if (/^[245]/.test(line) && script.length === 0) {
          socket.end("QUIT\r\n");
          return resolve(line);
        } else if (/^[45]/.test(line)) {
          socket.end();
          return resolve(line);
        } else {
          socket.write(script.shift()!);
        }
      }
    });
  });
}

function message(bytes: number): Uint8Array {
  const line = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAx\r\n";
  const head = "From: bench@example.com\r\nTo: support@example.test\r\nSubject: big\r\n" +
    'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n' +
    "Content-Type: text/plain\r\n\r\nhello\r\n--b\r\nContent-Type: application/octet-stream\r\n" +
    "Content-Transfer-Encoding: base64\r\n\r\n";
  const body = line.repeat(Math.floor(bytes / line.length));
  return new TextEncoder().encode(`${head}${body}--b--\r\n`);
}

const dir = await Deno.makeTempDir({ prefix: "madoguchi-bench-" });
const store = await openStore(`file:${dir}/bench.db`);
const rt: Runtime = {
  store,
  sender: senderFromConfig(loadConfig({ MADOGUCHI_MAIL_DOMAINS: "example.test" })),
  wakers: { timers: () => {}, outbox: () => {} },
  now: Date.now,
};
const smtp = await startInboundSmtp((raw, envelope) => receiveMail(rt, raw, envelope), {
  host: "127.0.0.1",
  port: 0,
  mailDomains: ["example.test"],
  maxMessageBytes: 25 * 1024 * 1024,
  maxConnections: 100,
});
const body = message(MB * 1024 * 1024);
const mib = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const baseline = Deno.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => peak = Math.max(peak, Deno.memoryUsage().rss), 20);
const started = performance.now();
const replies = await Promise.all(Array.from({ length: K }, () => send(smtp.port, body)));
const elapsed = performance.now() - started;
clearInterval(sampler);
const count = (re: RegExp) => replies.filter((r) => re.test(r)).length;
console.log(`SMTP memory bench: ${K} concurrent messages of ${MB} MiB`);
console.log(
  `RSS before    ${mib(baseline)}  (the message to send is ${mib(body.byteLength)} of it)`,
);
console.log(`RSS peak      ${mib(peak)}`);
console.log(
  `replies       ${count(/^250/)} × 250, ${count(/^452/)} × 452, ${count(/^(?!250|452)/)} other`,
);
console.log(`elapsed       ${(elapsed / 1000).toFixed(1)} s`);
await smtp.close();
await store.close();
await Deno.remove(dir, { recursive: true });
