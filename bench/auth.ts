/**
 * HTTP Basic API calls against the main thread: N concurrent `GET /api/v1/me`, one per agent (one
 * account allows 5 unverified attempts at once), each with e-mail and password (argon2id each,
 * unless remembered) on a real HTTP server, while /healthz is polled every 20 ms. Prints the time for the burst and /healthz latency during it, for a cold
 * burst (nothing remembered) and a warm one (the credential was verified a moment ago).
 *
 *   deno task bench:auth          # N=20
 *   deno task bench:auth --n 100
 */
import { createApp } from "../routes/mod.tsx";
import { openStore } from "../db/client.ts";
import { createAgent } from "../tests/runtime.ts";
import { loadConfig } from "../config.ts";

const i = Deno.args.indexOf("--n");
const N = i >= 0 ? Number(Deno.args[i + 1]) : 20;

const dir = await Deno.makeTempDir({ prefix: "madoguchi-bench-" });
const store = await openStore(`file:${dir}/bench.db`);
const config = loadConfig({ MADOGUCHI_DATA_DIR: dir, MADOGUCHI_PUBLIC_URL: "http://127.0.0.1" });
for (let a = 0; a < N; a++) {
  await createAgent(store, {
    email: `bench${a}@example.test`,
    name: `bench ${a}`,
    password: "correct horse battery",
    role: "agent",
  });
}
const app = createApp({ store, config, outbox: { wake: () => {} } });
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
const base = `http://127.0.0.1:${server.addr.port}`;
const auth = (a: number) => `Basic ${btoa(`bench${a}@example.test:correct horse battery`)}`;

const pct = (xs: number[], p: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] : 0;
const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`;

async function burst(label: string) {
  const health: number[] = [];
  let running = true;
  const poller = (async () => {
    while (running) {
      const t0 = performance.now();
      await (await fetch(`${base}/healthz`)).body?.cancel();
      health.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  const t0 = performance.now();
  const statuses = await Promise.all(Array.from({ length: N }, async (_, a) => {
    const res = await fetch(`${base}/api/v1/me`, { headers: { authorization: auth(a) } });
    await res.body?.cancel();
    return res.status;
  }));
  const elapsed = performance.now() - t0;
  running = false;
  await poller;
  const ok = statuses.filter((s) => s === 200).length;
  console.log(
    `${label.padEnd(6)} ${N} calls ${ms(elapsed)} (${ok} × 200)   /healthz during: ` +
      `p50 ${ms(pct(health, 0.5))}  max ${ms(Math.max(0, ...health))}  (${health.length} polls)`,
  );
}

console.log(`Basic auth bench: ${N} concurrent GET /api/v1/me, /healthz polled every 20 ms`);
await burst("cold");
await burst("warm");
await server.shutdown();
await store.close();
await Deno.remove(dir, { recursive: true });
Deno.exit(0);
