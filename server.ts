/**
 * Starts and stops everything one Madoguchi process runs: database, outbox worker, SMTP listener
 * and HTTP server. main.ts calls this; end-to-end tests call it with their own ports and paths.
 */
import type { Config } from "./config.ts";
import { openStore, type Store } from "./db/client.ts";
import { countAgents, findAgentForLogin, insertAgent } from "./db/agents.ts";
import { hashPassword } from "./workers/password_pool.ts";
import { type OutboxWorker, smtpRelayTransport, startOutboxWorker } from "./loops/outbox_worker.ts";
import { type InboundSmtp, startInboundSmtp } from "./mail/smtp_server.ts";
import { createAuthenticator, resolverFromSetting } from "./mail/mail_auth.ts";
import { createApp } from "./routes/mod.tsx";
import { type Scheduler, startScheduler } from "./loops/scheduler.ts";
import { timerHandlers } from "./loops/timer_handlers.ts";
import { ensureHousekeeping } from "./loops/housekeeping.ts";
import { imapControl } from "./loops/imap_control.ts";
import { senderFromConfig } from "./mail/sender.ts";
import type { Runtime } from "./services/context.ts";
import { createLiveHub } from "./services/live.ts";
import { receiveMail } from "./services/inbound_mail.ts";

export interface Running {
  store: Store;
  outbox: OutboxWorker;
  scheduler: Scheduler;
  smtp: InboundSmtp;
  httpPort: number;
  /** Graceful stop: no new connections, finish in-flight work, close the database. */
  stop(): Promise<void>;
}

/** Creates the bootstrap admin from MADOGUCHI_ADMIN_EMAIL/PASSWORD when it does not exist yet. */
export async function ensureBootstrapAdmin(store: Store, config: Config): Promise<boolean> {
  if (!config.adminEmail || !config.adminPassword) return false;
  if (await findAgentForLogin(store.db, config.adminEmail)) return false;
  const passwordHash = await hashPassword(config.adminPassword);
  await store.writeTx((tx) =>
    insertAgent(tx, {
      email: config.adminEmail!,
      name: config.adminEmail!.split("@")[0],
      passwordHash,
      role: "admin",
    }, Date.now())
  );
  return true;
}

/** Starts every service of the process. */
export async function startServices(
  config: Config,
  options: { quiet?: boolean } = {},
): Promise<Running> {
  const log = options.quiet ? () => {} : console.log;
  const store = await openStore(config.databaseUrl, {
    authToken: config.databaseAuthToken,
    readWorkers: config.readWorkers,
  });
  if (await ensureBootstrapAdmin(store, config)) {
    log(`madoguchi: created admin ${config.adminEmail}`);
  }
  const transport = config.smtpRelayUrl ? smtpRelayTransport(config.smtpRelayUrl) : null;
  const outbox = await startOutboxWorker(store, transport, { leaseMs: config.outboxLeaseMs });
  // Before the scheduler starts, so its first pass sees the timer.
  await store.writeTx((tx) => ensureHousekeeping(tx, Date.now()));
  // The services wake the loops after each commit; the scheduler exists only below.
  const wakers = { outbox: () => outbox.wake(), timers: () => scheduler.wake() };
  // One hub for the web, the SMTP side and the scheduler: every commit's changes reach every page.
  const live = createLiveHub(store.db);
  const rt: Runtime = {
    store,
    sender: senderFromConfig(config),
    wakers,
    now: Date.now,
    changes: live,
  };
  const scheduler = startScheduler(
    rt,
    timerHandlers({ rawRetentionDays: config.rawRetentionDays }),
  );
  const smtp = await startInboundSmtp((raw, envelope) => receiveMail(rt, raw, envelope), {
    host: config.smtpHost,
    port: config.smtpPort,
    mailDomains: config.mailDomains,
    maxMessageBytes: config.maxMessageBytes,
    maxConnections: config.maxSmtpConnections,
    maxConnectionsPerIp: config.smtpConnectionsPerClient,
    maxBytesInFlight: config.smtpMemoryBytes,
    authenticate: createAuthenticator(
      resolverFromSetting(config.dnsResolver, { timeoutMs: config.dnsTimeoutMs }),
      // Each lookup within the timeout; one message's checks within two of them.
      { mta: config.supportAddress.split("@")[1], deadlineMs: 2 * config.dnsTimeoutMs },
    ),
  });
  // MADOGUCHI_IMAP_URL, else the admin page's settings (/admin/imap); restarted when saved.
  const imap = imapControl(rt, {
    envUrl: config.imapUrl,
    pollMs: config.imapPollSeconds * 1000,
    log,
  });
  await imap.apply();
  let smtpListening = true;
  const app = createApp({
    store,
    config,
    outbox,
    scheduler,
    live,
    imap,
    smtpStatus: () => ({ listening: smtpListening, port: smtp.port, inFlight: smtp.inFlight() }),
  });
  const server = Deno.serve({
    hostname: config.httpHost,
    port: config.httpPort,
    onListen: () => {},
  }, app.fetch);
  const httpPort = server.addr.port;

  log(`madoguchi: web UI  ${config.publicUrl} (listening on ${config.httpHost}:${httpPort})`);
  log(`madoguchi: SMTP    ${config.smtpHost}:${smtp.port} for ${config.mailDomains.join(", ")}`);
  log(`madoguchi: database ${config.databaseUrl.replace(/\?.*$/, "")}`);
  log(
    transport
      ? `madoguchi: outbound mail via ${new URL(config.smtpRelayUrl!).host}`
      : "madoguchi: no MADOGUCHI_SMTP_RELAY_URL: replies are kept in the outbox as not delivered",
  );
  if (await countAgents(store.db) === 0) {
    log(`madoguchi: no agent yet: open ${config.publicUrl}/setup to create the administrator`);
  }

  return {
    store,
    outbox,
    scheduler,
    smtp,
    httpPort,
    async stop() {
      smtpListening = false;
      // Open event streams would keep the HTTP server's shutdown waiting forever.
      live.close();
      await Promise.all([smtp.close(), server.shutdown(), imap.stop()]);
      await Promise.all([outbox.stop(), scheduler.stop()]);
      await store.close();
    },
  };
}
