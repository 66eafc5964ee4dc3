/**
 * Writes a consistent copy of the database while the server runs:
 *
 *   deno task backup /backups/madoguchi-2026-03-07.db
 *
 * `VACUUM INTO` reads one snapshot (WAL lets the server keep writing meanwhile) into a new,
 * compacted file with no -wal of its own. Reads the same MADOGUCHI_* configuration as the server.
 * Restore: stop the server, replace <data dir>/madoguchi.db with the copy, delete
 * madoguchi.db-wal and madoguchi.db-shm if present, start.
 */
import { sql } from "kysely";
import { ConfigError, loadConfig } from "../config.ts";
import { openStore } from "../db/client.ts";

const USAGE = "usage: deno task backup <path of the new backup file>";

function fail(message: string, code = 1): never {
  console.error(`madoguchi backup: ${message}`);
  Deno.exit(code);
}

const [target, ...extra] = Deno.args;
if (target === "--help" || target === "-h") {
  console.log(USAGE);
  Deno.exit(0);
}
if (!target || extra.length > 0) fail(USAGE, 2);

let config;
try {
  config = loadConfig();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  fail(`invalid configuration: ${e.message}`, 2);
}
if (!config.databaseUrl.startsWith("file:")) {
  fail("only an embedded (file:) database can be copied this way; back up the libSQL server", 2);
}
try {
  await Deno.lstat(target);
  fail(`${target} exists; choose a new file name`, 2);
} catch (e) {
  if (!(e instanceof Deno.errors.NotFound)) throw e;
}

const store = await openStore(config.databaseUrl, { authToken: config.databaseAuthToken });
try {
  await sql`vacuum into ${target}`.execute(store.db);
  const { size } = await Deno.stat(target);
  console.log(`madoguchi backup: wrote ${target} (${(size / 1024 / 1024).toFixed(1)} MiB)`);
} catch (e) {
  console.error(`madoguchi backup: cannot write ${target}:`, e);
  Deno.exitCode = 1;
} finally {
  await store.close();
}
