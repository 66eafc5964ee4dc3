/**
 * The SMTP listener's shared limits over real sockets: bytes of mail held in memory across all
 * connections, connections per client address, and how long one DATA or connection may last.
 */
import assert from "node:assert/strict";
import net from "node:net";
import { type InboundSmtpOptions, startInboundSmtp } from "../../mail/smtp_server.ts";
import { listTickets } from "../../db/ticket_list.ts";
import { deliverTo } from "../runtime.ts";
import { tempStore } from "../helpers.ts";

type Limits = Partial<InboundSmtpOptions>;

/** How long a reply may take before the test fails rather than hangs (not a timing assertion). */
const HANG_MS = 15_000;

async function withSmtp(
  limits: Limits,
  fn: (ctx: {
    port: number;
    smtp: Awaited<ReturnType<typeof startInboundSmtp>>;
    db: Awaited<ReturnType<typeof tempStore>>;
  }) => Promise<void>,
) {
  const db = await tempStore();
  const smtp = await startInboundSmtp(deliverTo(db.store), {
    host: "127.0.0.1",
    port: 0,
    mailDomains: ["example.test"],
    maxMessageBytes: 1024 * 1024,
    maxConnections: 50,
    ...limits,
  });
  try {
    await fn({ port: smtp.port, smtp, db });
  } finally {
    await smtp.close();
    await db.cleanup();
  }
}

/** A line-at-a-time SMTP client on a raw socket. */
class Client {
  #socket: net.Socket;
  #buffer = "";
  #lines: string[] = [];
  #waiters: ((line: string | null) => void)[] = [];
  closed: Promise<void>;

  constructor(port: number) {
    this.#socket = net.connect(port, "127.0.0.1");
    this.#socket.setEncoding("latin1");
    this.#socket.on("data", (chunk: string) => {
      this.#buffer += chunk;
      let i;
      while ((i = this.#buffer.indexOf("\r\n")) >= 0) {
        this.#push(this.#buffer.slice(0, i));
        this.#buffer = this.#buffer.slice(i + 2);
      }
    });
    this.#socket.on("error", () => {});
    this.closed = new Promise((resolve) =>
      this.#socket.on("close", () => {
        for (const w of this.#waiters.splice(0)) w(null);
        resolve();
      })
    );
  }

  #push(line: string) {
    const w = this.#waiters.shift();
    if (w) w(line);
    else this.#lines.push(line);
  }

  /**
   * The next complete reply (last line of a multi-line one), or null once the socket closed. A
   * server that never answers fails the test after HANG_MS instead of hanging it.
   */
  async reply(): Promise<string | null> {
    for (;;) {
      const line = this.#lines.shift() ?? (this.#socket.closed ? null : await this.#next());
      if (line === null || line[3] !== "-") return line;
    }
  }

  #next(): Promise<string | null> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      new Promise<string | null>((r) => this.#waiters.push(r)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("no reply from the server")), HANG_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  write(text: string | Uint8Array) {
    this.#socket.write(text);
  }

  async command(line: string): Promise<string | null> {
    this.write(`${line}\r\n`);
    return await this.reply();
  }

  /** Greeting, EHLO, MAIL, RCPT and DATA: ready for the message. */
  async startData(): Promise<void> {
    assert.match((await this.reply())!, /^220/);
    assert.match((await this.command("EHLO client.example"))!, /^250/);
    assert.match((await this.command("MAIL FROM:<taro@example.com>"))!, /^250/);
    assert.match((await this.command("RCPT TO:<support@example.test>"))!, /^250/);
    assert.match((await this.command("DATA"))!, /^354/);
  }

  close() {
    this.#socket.destroy();
  }
}

function message(subject: string, bodyBytes: number): string {
  const line = "x".repeat(76) + "\r\n";
  const body = line.repeat(Math.ceil(bodyBytes / line.length));
  return `From: taro@example.com\r\nTo: support@example.test\r\nSubject: ${subject}\r\n\r\n${body}`;
}

async function until(what: string, ok: () => boolean) {
  for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ok(), `timed out waiting until ${what}`);
}

Deno.test("smtp limits: mail held in memory across connections stays under the budget; past it 452 4.3.1", async () => {
  const size = 150_000;
  await withSmtp({ maxBytesInFlight: 2 * size + 20_000 }, async ({ port, smtp, db }) => {
    const a = new Client(port), b = new Client(port), c = new Client(port);
    try {
      await Promise.all([a.startData(), b.startData(), c.startData()]);
      // Two messages arrive in full but are not finished (no final dot): both are held.
      a.write(message("a", size));
      b.write(message("b", size));
      await until("both messages are held", () => smtp.bytesInFlight() > 2 * size);
      // A transaction declaring a size that cannot fit now is refused before it sends it…
      const d = new Client(port);
      assert.match((await d.reply())!, /^220/);
      assert.match((await d.command("EHLO client.example"))!, /^250/);
      assert.match((await d.command(`MAIL FROM:<jiro@example.com> SIZE=${size}`))!, /^452 4\.3\.1/);
      d.close();
      // …and one already in DATA is read to its end without being kept, then refused.
      c.write(message("c", size) + "\r\n.\r\n");
      assert.match((await c.reply())!, /^452 4\.3\.1 Insufficient system storage/);
      assert.ok(smtp.bytesInFlight() <= 2 * size + 20_000, String(smtp.bytesInFlight()));
      a.write("\r\n.\r\n");
      b.write("\r\n.\r\n");
      assert.match((await a.reply())!, /^250/);
      assert.match((await b.reply())!, /^250/);
      await until("the budget is free again", () => smtp.bytesInFlight() === 0);
      // With room again, the refused message goes through on retry.
      assert.match((await c.command("MAIL FROM:<taro@example.com>"))!, /^250/);
      assert.match((await c.command("RCPT TO:<support@example.test>"))!, /^250/);
      assert.match((await c.command("DATA"))!, /^354/);
      c.write(message("c", size) + "\r\n.\r\n");
      assert.match((await c.reply())!, /^250/);
      assert.equal((await listTickets(db.store.db, {})).total, 3);
    } finally {
      for (const client of [a, b, c]) client.close();
    }
  });
});

Deno.test("smtp limits: one client address gets at most its share of connections (421 4.7.0)", async () => {
  await withSmtp({ maxConnectionsPerIp: 2 }, async ({ port }) => {
    const first = new Client(port), second = new Client(port);
    try {
      assert.match((await first.reply())!, /^220/);
      assert.match((await second.reply())!, /^220/);
      const third = new Client(port);
      assert.match((await third.reply())!, /^421 4\.7\.0 Too many connections from your address/);
      await third.closed;
      first.close();
      await first.closed;
      // Once one closes, the address may connect again.
      let greeting: string | null = null;
      for (let i = 0; i < 100 && !greeting?.startsWith("220"); i++) {
        const again = new Client(port);
        greeting = await again.reply();
        again.close();
        if (!greeting?.startsWith("220")) await new Promise((r) => setTimeout(r, 10));
      }
      assert.match(greeting!, /^220/);
    } finally {
      first.close();
      second.close();
    }
  });
});

Deno.test("smtp limits: a client dribbling a message byte by byte is cut off when DATA runs too long", async () => {
  await withSmtp({ maxDataMs: 300 }, async ({ port, smtp, db }) => {
    const client = new Client(port);
    try {
      await client.startData();
      client.write("Subject: slow\r\n\r\n");
      // Never idle long enough for the idle timeout, never done.
      const dribble = setInterval(() => client.write("x"), 20);
      try {
        assert.match((await client.reply())!, /^421 4\.4\.2/);
        await client.closed;
      } finally {
        clearInterval(dribble);
      }
      await until("the connection's bytes are released", () => smtp.bytesInFlight() === 0);
      assert.equal((await listTickets(db.store.db, {})).total, 0);
    } finally {
      client.close();
    }
  });
});

Deno.test("smtp limits: a connection kept busy with commands is closed at its overall time limit", async () => {
  await withSmtp({ maxConnectionMs: 300 }, async ({ port }) => {
    const client = new Client(port);
    try {
      assert.match((await client.reply())!, /^220/);
      let last: string | null = "";
      const giveUp = Date.now() + HANG_MS;
      while (last !== null && !last.startsWith("421") && Date.now() < giveUp) {
        last = await client.command("NOOP");
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.match(last!, /^421 4\.4\.2/);
      await client.closed;
    } finally {
      client.close();
    }
  });
});
