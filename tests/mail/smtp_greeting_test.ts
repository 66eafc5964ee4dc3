/** The SMTP greeting over a raw socket: sent at once, and the connection limit still holds. */
import assert from "node:assert/strict";
import { startInboundSmtp } from "../../mail/smtp_server.ts";
import { deliverTo } from "../runtime.ts";
import { tempStore } from "../helpers.ts";

async function readLine(conn: Deno.Conn): Promise<string> {
  const buf = new Uint8Array(512);
  const n = await conn.read(buf);
  return new TextDecoder().decode(buf.subarray(0, n ?? 0)).trim();
}

async function withSmtp(maxConnections: number, fn: (port: number) => Promise<void>) {
  const t = await tempStore();
  const smtp = await startInboundSmtp(deliverTo(t.store), {
    host: "127.0.0.1",
    port: 0,
    mailDomains: ["example.test"],
    maxMessageBytes: 1_000_000,
    maxConnections,
  });
  try {
    await fn(smtp.port);
  } finally {
    await smtp.close();
    await t.cleanup();
  }
}

Deno.test("smtp greeting: a client gets 220 and can talk; EHLO is answered", async () => {
  await withSmtp(10, async (port) => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      assert.match(await readLine(conn), /^220 example\.test ESMTP/);
      await conn.write(new TextEncoder().encode("EHLO client.example.org\r\n"));
      assert.match(await readLine(conn), /^250[- ]example\.test/);
    } finally {
      conn.close();
    }
  });
});

Deno.test("smtp greeting: past the connection limit a client gets 421", async () => {
  await withSmtp(1, async (port) => {
    const first = await Deno.connect({ hostname: "127.0.0.1", port });
    const second = await Deno.connect({ hostname: "127.0.0.1", port });
    try {
      assert.match(await readLine(first), /^220 /);
      assert.match(await readLine(second), /^421 .*Too many connected clients/);
    } finally {
      first.close();
      second.close();
    }
  });
});
