/**
 * The embedded SMTP server: accepts mail for our domains only (no open relay), enforces size and
 * connection limits with precise codes, and answers 250 only after `deliver` (services/
 * inbound_mail.ts `receiveMail`, wired in server.ts) committed the raw message and its ticket. Any
 * storage failure answers 451 so the sending MTA retries.
 */
// @ts-types="@types/smtp-server"
import { SMTPServer, type SMTPServerDataStream } from "smtp-server";
import type { RawEnvelope } from "../db/raw_messages.ts";

/** What became of a delivered message (services/inbound_mail.ts `IngestResult`). */
export type Delivery =
  | { kind: "created" | "joined"; ticketNumber: number }
  | { kind: "duplicate" }
  | { kind: "quarantined" };

export interface InboundSmtpOptions {
  host: string;
  port: number;
  mailDomains: string[];
  maxMessageBytes: number;
  maxConnections: number;
  maxRecipients?: number;
}

export interface InboundSmtp {
  port: number;
  /** Stops accepting, waits for in-flight transactions, then closes. */
  close(): Promise<void>;
  inFlight(): number;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Starts the SMTP listener; resolves once it is listening. */
export async function startInboundSmtp<D extends Delivery>(
  deliver: (raw: Uint8Array, envelope: RawEnvelope) => Promise<D>,
  options: InboundSmtpOptions,
): Promise<InboundSmtp> {
  const domains = new Set(options.mailDomains.map((d) => d.toLowerCase()));
  const inFlight = new Set<Promise<unknown>>();

  const server = new SMTPServer({
    name: options.mailDomains[0],
    banner: "Madoguchi ESMTP",
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    closeTimeout: 5000,
    size: options.maxMessageBytes,
    maxClients: options.maxConnections,
    // Supported by smtp-server 3.x (452 past the limit) but missing from @types/smtp-server.
    ...{ maxRecipients: options.maxRecipients ?? 100 } as Record<string, unknown>,
    onRcptTo(address, _session, callback) {
      const domain = address.address.toLowerCase().split("@").pop() ?? "";
      if (!domains.has(domain)) {
        return callback(
          smtpError(550, `5.7.1 Relaying denied: we accept mail only for our domains`),
        );
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Uint8Array[] = [];
      let received = 0;
      stream.on("data", (chunk: Uint8Array) => {
        // smtp-server keeps streaming past the limit (it only flags sizeExceeded): drain and
        // drop the excess instead of buffering a 150 MB message to refuse it at the end.
        received += chunk.byteLength;
        if (received <= options.maxMessageBytes) chunks.push(chunk);
      });
      stream.on("error", (err: Error) => callback(smtpError(451, `4.3.0 ${err.message}`)));
      stream.on("end", () => {
        if (stream.sizeExceeded || received > options.maxMessageBytes) {
          return callback(
            smtpError(552, `5.3.4 Message too big: the limit is ${options.maxMessageBytes} bytes`),
          );
        }
        const raw = concat(chunks);
        const envelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          remoteAddress: session.remoteAddress ?? null,
        };
        const job = deliver(raw, envelope).then(
          (result) => callback(null, acceptedText(result)),
          (err) => {
            console.error("smtp: cannot store message:", err);
            callback(smtpError(451, "4.3.0 Temporary storage failure, please try again later"));
          },
        );
        inFlight.add(job);
        job.finally(() => inFlight.delete(job));
      });
    },
  });
  server.on("error", (err: Error) => console.error("smtp:", err.message));
  greetWithoutPause(server, options.maxConnections);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;

  return {
    port,
    inFlight: () => inFlight.size,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** The parts of smtp-server's SMTPConnection that greetWithoutPause uses (3.21.x). */
interface ConnectionInternals {
  name: string;
  init(): void;
  _setListeners(callback: () => void): void;
  connectionReady(): void;
  send(code: number, text: string, context: false): void;
}

/**
 * Greets at once. smtp-server holds every 220 greeting back 100 ms (a fixed `setTimeout` in
 * SMTPConnection#init, with no option; not DNS: disableReverseLookup already skips the reverse
 * lookup, and `name` spares os.hostname()) to refuse clients that talk first. That pause cost
 * every connection 100 ms — each MTA delivery, each test — and only catches bots that do not wait
 * at all, while what keeps us from being a relay is the recipient check (550). Each connection's
 * `init` is replaced by the same steps without the timer: socket listeners, the connection
 * limit (421), then the greeting. Written against smtp-server 3.21 (pinned in deno.json).
 */
function greetWithoutPause(server: SMTPServer, maxClients: number) {
  const connections = (server as unknown as { connections: Set<ConnectionInternals> }).connections;
  const add = connections.add.bind(connections);
  connections.add = (connection) => {
    connection.init = function () {
      this._setListeners(() => {
        if (connections.size > maxClients) {
          return this.send(
            421,
            `${this.name} Too many connected clients, try again in a moment`,
            false,
          );
        }
        this.connectionReady();
      });
    };
    return add(connection);
  };
}

function acceptedText(result: Delivery): string {
  switch (result.kind) {
    case "created":
    case "joined":
      return `2.0.0 Accepted as ticket #${result.ticketNumber}`;
    case "duplicate":
      return "2.0.0 Already received (duplicate Message-ID)";
    case "quarantined":
      return "2.0.0 Accepted for manual review";
  }
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}
