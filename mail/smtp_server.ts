/**
 * The embedded SMTP server: accepts mail for our domains only (no open relay), enforces size and
 * connection limits with precise codes, and answers 250 only after `deliver` (services/
 * inbound_mail.ts `receiveMail`, wired in server.ts) committed the raw message and its ticket. Any
 * storage failure answers 451 so the sending MTA retries.
 *
 * Shared limits keep one sender from exhausting the process: the bytes of mail held in memory
 * across all connections (452 4.3.1 past them, the sender retries later), connections per client
 * address (421 4.7.0), and how long one DATA and one connection may last — the idle timeout alone
 * never fires for a client that sends a byte every few seconds.
 */
// @ts-types="@types/smtp-server"
import { SMTPServer, type SMTPServerDataStream } from "smtp-server";
import type { RawEnvelope } from "../db/raw_messages.ts";
import type { Authenticator } from "./mail_auth.ts";
import { metrics } from "../obs/metrics.ts";
import { createByteBudget, createConnectionCounter, smtpClientKey } from "./smtp_limits.ts";

/** What became of a delivered message (services/inbound_mail.ts `IngestResult`). */
export type Delivery =
  | { kind: "created" | "joined"; ticketNumber: number }
  | { kind: "duplicate" }
  | { kind: "quarantined" };

/** Connections one client address may hold at once, by default. */
export const DEFAULT_CONNECTIONS_PER_IP = 10;
/** How long one DATA may take, first byte to final dot, by default. */
export const DEFAULT_MAX_DATA_MS = 10 * 60_000;
/** How long one connection may last, however busy, by default. */
export const DEFAULT_MAX_CONNECTION_MS = 30 * 60_000;

export interface InboundSmtpOptions {
  host: string;
  port: number;
  mailDomains: string[];
  maxMessageBytes: number;
  maxConnections: number;
  maxRecipients?: number;
  /** Bytes of mail held in memory across all connections (default 4 × maxMessageBytes). */
  maxBytesInFlight?: number;
  /** Connections one client address (an IPv6 /64) may hold (default 10). */
  maxConnectionsPerIp?: number;
  /** How long one DATA may take, first byte to final dot (default 10 minutes). */
  maxDataMs?: number;
  /** How long one connection may last, however busy (default 30 minutes). */
  maxConnectionMs?: number;
  /** SPF/DKIM/DMARC/ARC on the session (mail/mail_auth.ts); without it no verdicts are passed. */
  authenticate?: Authenticator;
}

export interface InboundSmtp {
  port: number;
  /** Stops accepting, waits for in-flight transactions, then closes. */
  close(): Promise<void>;
  inFlight(): number;
  /** Bytes of mail held in memory now, received or being filed. */
  bytesInFlight(): number;
}

/** What smtp-server's connections expose that we use to end one (not in @types/smtp-server). */
interface SmtpConnection {
  id: string;
  send(code: number, text: string): void;
}

/** Our state of one open connection. */
interface ConnectionState {
  clientKey: string;
  lifetime: ReturnType<typeof setTimeout>;
  /** A message of this connection is being filed: it must get its answer before we hang up. */
  filing: boolean;
  /** Set when a time limit passed while filing: hang up with this once the answer is out. */
  closeWith: string | null;
}

const INSUFFICIENT_STORAGE = "4.3.1 Insufficient system storage, try again later";

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
  const budget = createByteBudget(options.maxBytesInFlight ?? 4 * options.maxMessageBytes);
  const perClient = createConnectionCounter(
    options.maxConnectionsPerIp ?? DEFAULT_CONNECTIONS_PER_IP,
  );
  const connections = new Map<string, ConnectionState>();

  /** Answers 421 and hangs up; a message being filed gets its answer first. */
  function hangUp(sessionId: string, text: string) {
    const state = connections.get(sessionId);
    if (state?.filing) {
      state.closeWith = text;
      return;
    }
    const open = (server as unknown as { connections: Set<SmtpConnection> }).connections;
    for (const conn of open) if (conn.id === sessionId) conn.send(421, text);
  }

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
    onConnect(session, callback) {
      const clientKey = smtpClientKey(session.remoteAddress);
      if (!perClient.open(clientKey)) {
        return callback(smtpError(421, "4.7.0 Too many connections from your address"));
      }
      const lifetime = setTimeout(
        () => hangUp(session.id, "4.4.2 Connection time limit reached, closing"),
        options.maxConnectionMs ?? DEFAULT_MAX_CONNECTION_MS,
      );
      connections.set(session.id, { clientKey, lifetime, filing: false, closeWith: null });
      callback();
    },
    onClose(session) {
      const state = connections.get(session.id);
      if (!state) return; // refused in onConnect, or gone before it
      connections.delete(session.id);
      clearTimeout(state.lifetime);
      perClient.close(state.clientKey);
    },
    onMailFrom(address, _session, callback) {
      // A declared SIZE that cannot fit now is refused before the client sends it.
      const args = (address.args || {}) as { SIZE?: string };
      const declared = Math.min(Number(args.SIZE) || 0, options.maxMessageBytes);
      if (budget.used() >= budget.limit || budget.used() + declared > budget.limit) {
        return callback(smtpError(452, INSUFFICIENT_STORAGE));
      }
      callback();
    },
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
      const state = connections.get(session.id);
      let chunks: Uint8Array[] = [];
      let received = 0;
      // Bytes of this message counted in the shared budget: held until filed or refused.
      let held = 0;
      let overBudget = false;
      const drop = () => {
        budget.release(held);
        held = 0;
        chunks = [];
      };
      const deadline = setTimeout(
        () => hangUp(session.id, "4.4.2 Message transfer took too long, closing"),
        options.maxDataMs ?? DEFAULT_MAX_DATA_MS,
      );
      stream.on("data", (chunk: Uint8Array) => {
        // smtp-server keeps streaming past the limit (it only flags sizeExceeded): drain and
        // drop the excess instead of buffering a 150 MB message to refuse it at the end. The
        // same past the shared budget: read to the end, keep nothing, answer 452.
        received += chunk.byteLength;
        if (overBudget || received > options.maxMessageBytes) return drop();
        if (!budget.take(chunk.byteLength)) {
          overBudget = true;
          return drop();
        }
        held += chunk.byteLength;
        chunks.push(chunk);
      });
      stream.on("error", (err: Error) => {
        clearTimeout(deadline);
        drop();
        callback(smtpError(451, `4.3.0 ${err.message}`));
      });
      stream.on("end", () => {
        clearTimeout(deadline);
        if (stream.sizeExceeded || received > options.maxMessageBytes) {
          drop();
          return callback(
            smtpError(552, `5.3.4 Message too big: the limit is ${options.maxMessageBytes} bytes`),
          );
        }
        if (overBudget) return callback(smtpError(452, INSUFFICIENT_STORAGE));
        // The chunks go as soon as they are copied: one copy of the message, counted once.
        const raw = concat(chunks);
        chunks = [];
        const envelope: RawEnvelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          remoteAddress: session.remoteAddress ?? null,
        };
        if (state) state.filing = true;
        const verdicts = options.authenticate
          ? options.authenticate(raw, {
            ip: envelope.remoteAddress,
            helo: session.hostNameAppearsAs ?? null,
            mailFrom: envelope.mailFrom,
          }).then((auth) => (envelope.auth = auth))
          : Promise.resolve();
        const job = verdicts.then(() => deliver(raw, envelope)).then(
          (result) => {
            metrics.inc("madoguchi_mail_received_total", { result: result.kind });
            callback(null, acceptedText(result));
          },
          (err) => {
            console.error("smtp: cannot store message:", err);
            callback(smtpError(451, "4.3.0 Temporary storage failure, please try again later"));
          },
        ).finally(() => {
          drop();
          if (!state) return;
          state.filing = false;
          if (state.closeWith) hangUp(session.id, state.closeWith);
        });
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
    bytesInFlight: () => budget.used(),
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
