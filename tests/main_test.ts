/** The real process, as the README starts it: start-up, health, refusal of bad config, SIGTERM. */
import assert from "node:assert/strict";
import { rawMail, sendRaw } from "./helpers.ts";

const root = new URL("../", import.meta.url).pathname;
const permissions = [
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys",
  "--allow-ffi",
];

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("main: invalid configuration stops start-up with a message naming the variable", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, "main.ts"],
    cwd: root,
    env: { MADOGUCHI_HTTP_PORT: "not-a-port", NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.match(new TextDecoder().decode(out.stderr), /MADOGUCHI_HTTP_PORT/);
});

Deno.test("main: starts on given ports, takes mail, reports health, stops cleanly on SIGTERM", async () => {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-main-" });
  const http = freePort();
  const smtp = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...permissions, "main.ts"],
    cwd: root,
    env: {
      MADOGUCHI_HTTP_HOST: "127.0.0.1",
      MADOGUCHI_HTTP_PORT: String(http),
      MADOGUCHI_SMTP_HOST: "127.0.0.1",
      MADOGUCHI_SMTP_PORT: String(smtp),
      MADOGUCHI_DATA_DIR: dir,
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let printed = "";
  try {
    while (!printed.includes("/setup")) {
      const { value, done } = await stdout.read();
      if (done) break;
      printed += value;
    }
    assert.match(printed, new RegExp(`web UI +http://localhost:${http}`));
    assert.match(printed, /open http:\/\/localhost:\d+\/setup/);
    const health = await fetch(`http://127.0.0.1:${http}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual((await health.json()).smtp.listening, true);
    const response = await sendRaw(
      smtp,
      { from: "taro@example.com", to: ["support@example.test"] },
      rawMail({ From: "taro@example.com", Subject: "起動テスト" }, "hello"),
    );
    assert.match(response, /^250 .*#1001/);
    child.kill("SIGTERM");
    const status = await child.status;
    assert.equal(status.code, 0);
  } finally {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await stdout.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
