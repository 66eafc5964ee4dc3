/**
 * Prints a new API token for an existing agent:
 *
 *   deno task token --email agent@example.com --name ci
 *
 * Reads the same MADOGUCHI_* configuration as the server, so it writes to the same database. The
 * secret is printed once, to stdout alone, so `TOKEN=$(deno task token …)` works; only its hash is
 * stored.
 */
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.ts";
import { openStore } from "../db/client.ts";
import { createApiToken, findAgentForLogin } from "../db/agents.ts";

const USAGE = "usage: deno task token --email <agent e-mail> [--name <token name>]";

function fail(message: string, code = 1): never {
  console.error(`madoguchi token: ${message}`);
  Deno.exit(code);
}

let args;
try {
  args = parseArgs({
    args: Deno.args,
    options: { email: { type: "string" }, name: { type: "string" }, help: { type: "boolean" } },
  }).values;
} catch (e) {
  fail(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`, 2);
}
if (args.help) {
  console.log(USAGE);
  Deno.exit(0);
}
const email = args.email?.trim().toLowerCase();
if (!email) fail(`--email is required\n${USAGE}`, 2);
const name = args.name?.trim().slice(0, 100) || "cli";

let config;
try {
  config = loadConfig();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  fail(`invalid configuration: ${e.message}`, 2);
}
const store = await openStore(config.databaseUrl, { authToken: config.databaseAuthToken });
try {
  const agent = await findAgentForLogin(store.db, email);
  if (agent) {
    console.log(await store.writeTx((tx) => createApiToken(tx, agent.id, name, Date.now())));
  } else {
    console.error(`madoguchi token: no enabled agent with the e-mail address ${email}`);
    Deno.exitCode = 1;
  }
} finally {
  await store.close();
}
