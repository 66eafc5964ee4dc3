import { chromium } from "playwright-core";
import { createApp } from "./routes/mod.tsx";
import { createAgent } from "./db/agents.ts";
import { importRunner } from "./loops/import_runner.ts";
import { tempStore, testConfig } from "./tests/helpers.ts";
const db = await tempStore();
const config = testConfig(db.dir);
const app = createApp({ store: db.store, config, outbox: { wake() {} } });
await createAgent(db.store, {
  email: "admin@example.test",
  name: "管理者",
  password: "correct horse battery",
  role: "admin",
});
const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
const base = `http://localhost:${server.addr.port}`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox"],
});
for (const [w, h, name] of [[1366, 900, "wide"], [390, 844, "narrow"]] as const) {
  const page = await browser.newPage({ viewport: { width: w, height: h } });
  await page.goto(`${base}/login`);
  await page.fill("input[name=email]", "admin@example.test");
  await page.fill("input[name=password]", "correct horse battery");
  await page.click("button[type=submit]");
  if (name === "wide") {
    await page.goto(`${base}/admin/import`);
    await page.fill("input[name=path]", "/work/shared/corpus/sisimai/mailbox/mbox-0");
    await page.fill("input[name=to]", "support@example.test");
    await page.click("form.card button[type=submit]");
    await importRunner(db.store).idle();
    await page.goto(`${base}/admin/import`);
    await page.fill("input[name=path]", "/work/shared/corpus/sisimai/mailbox/size-2");
    await page.click("form.card button[type=submit]");
    await importRunner(db.store).idle();
  }
  await page.goto(`${base}/admin/import`);
  await page.locator("details").first().evaluate((d) => (d as HTMLDetailsElement).open = true)
    .catch(() => {});
  await page.screenshot({ path: `/tmp/import_${name}.png`, fullPage: true });
}
await browser.close();
await server.shutdown();
await db.cleanup();
