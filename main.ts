/** Madoguchi: one process — web UI, SMTP in, outbox out. Configuration comes from MADOGUCHI_* env. */
import { ConfigError, loadConfig } from "./config.ts";
import { startServices } from "./server.ts";

let config;
try {
  config = loadConfig();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(`madoguchi: invalid configuration: ${e.message}`);
  Deno.exit(2);
}
const running = await startServices(config);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log(`madoguchi: ${signal}: finishing in-flight work…`);
    await running.stop();
    Deno.exit(0);
  });
}
