/**
 * What bench/web.ts and bench/page.ts share: the app over a seeded database with an admin signed
 * in (cookie and API token), the process's CPU and peak RSS, and socket clients in a process of
 * their own (bench/web_load_worker.ts in served mode).
 */
import { openStore, type Store } from "../db/client.ts";
import { loadConfig } from "../config.ts";
import { createApp } from "../routes/mod.tsx";
import { stopIdlePasswordWorkers } from "../workers/password_pool.ts";
import { createAgent, createApiToken } from "../tests/runtime.ts";
import { SEED_NOW } from "./seed.ts";

export const ORIGIN = "http://localhost";
const PASSWORD = "correct horse battery";

/** CPU seconds this process has used so far (user + system, all threads). */
export function cpuSeconds(): number {
  const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The process's peak resident set so far, from the kernel (VmHWM), in MiB. */
export function peakRssMiB(): number {
  const m = Deno.readTextFileSync("/proc/self/status").match(/VmHWM:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : Deno.memoryUsage().rss / 2 ** 20;
}

/**
 * Opens the database (migrating it: use a copy to keep a seed), builds the app at the seed's
 * clock and signs `email` in as an admin (created, or its password set again).
 */
export async function benchApp(path: string, options: { readWorkers: number; email: string }) {
  const t0 = performance.now();
  const store: Store = await openStore(`file:${path}`, { readWorkers: options.readWorkers });
  const openMs = performance.now() - t0;
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-bench-" });
  const config = loadConfig({
    MADOGUCHI_DATA_DIR: dir,
    MADOGUCHI_MAIL_DOMAINS: "example.test",
    MADOGUCHI_PUBLIC_URL: ORIGIN,
  });
  const app = createApp({ store, config, outbox: { wake() {} }, now: () => SEED_NOW });
  const { email } = options;
  const found = await store.db.selectFrom("agents").select("id").where("email", "=", email)
    .executeTakeFirst();
  if (found) {
    // A previous run set the password; set it again so the login below knows it.
    const { hashPassword } = await import("../domain/password.ts");
    const hash = await hashPassword(PASSWORD);
    await store.writeTx((tx) =>
      tx.updateTable("agents").set({ password_hash: hash }).where("id", "=", found.id).execute()
    );
  }
  const agentId = found?.id ??
    (await createAgent(store, { email, name: "Bench", password: PASSWORD, role: "admin" })).id;
  const login = await app.request(`${ORIGIN}/login`, {
    method: "POST",
    headers: { origin: ORIGIN },
    body: new URLSearchParams({ email, password: PASSWORD, next: "/" }),
  });
  if (login.status !== 303) throw new Error(`Login failed: ${login.status}`);
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  // The sign-in started a password worker (~45 MiB); in service it stops 30 s after sign-ins.
  stopIdlePasswordWorkers();
  const token = await createApiToken(store, agentId, "bench");
  return {
    store,
    app,
    cookie,
    token,
    openMs,
    async close() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/**
 * `clients` socket clients in another process, each cycling through `paths` (an `api:` prefix
 * sends the bearer token) against `base` for `seconds`: their requests and latencies (ms).
 */
export async function servedClients(job: {
  base: string;
  cookie: string;
  bearer: string;
  seconds: number;
  clients: number;
  paths: string[];
}): Promise<{ requests: number; latencies: number[] }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./web_load_worker.ts", import.meta.url).pathname,
      JSON.stringify({ ...job, heavyPath: "", credential: job.cookie }),
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error("served-load clients failed");
  return JSON.parse(new TextDecoder().decode(out.stdout));
}
