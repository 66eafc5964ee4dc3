import { chromium } from "playwright-core";
import { createApp } from "./routes/mod.tsx";
import { createAgent } from "./db/agents.ts";
import { createTicketForCustomer } from "./tests/runtime.ts";
import { tempStore, testConfig } from "./tests/helpers.ts";
const db = await tempStore();
const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
await createAgent(db.store, {
  email: "admin@example.test",
  name: "Admin",
  password: "correct horse battery",
  role: "admin",
});
const texts = [
  [
    "配送の件",
    "お世話になっております。先日注文した商品について、ペンギン急便の配達時間を教えてください。午前中の配達は可能でしょうか。",
  ],
  [
    "再配達のお願い",
    "不在票が入っていました。明日の夕方に再配達をお願いできますか？ <script>alert(1)</script>",
  ],
  ["Delivery time", "Could you tell me the delivery time for my order? 配達 is late."],
];
for (const [i, [subject, text]] of texts.entries()) {
  await createTicketForCustomer(db.store, {
    customer: { email: `c${i}@example.com`, name: ["山田太郎", "佐藤花子", "John Smith"][i] },
    subject,
    text,
    channel: "email",
    agentId: null,
  });
}
const server = Deno.serve({ port: 8931, hostname: "127.0.0.1", onListen() {} }, app.fetch);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox"],
});
for (const [w, name] of [[1366, "wide"], [390, "narrow"]] as const) {
  const page = await browser.newPage({ viewport: { width: w, height: 800 } });
  await page.goto("http://127.0.0.1:8931/login");
  await page.fill("input[name=email]", "admin@example.test");
  await page.fill("input[name=password]", "correct horse battery");
  await page.click("button[type=submit]");
  await page.goto("http://127.0.0.1:8931/search?q=" + encodeURIComponent("配達"));
  await page.screenshot({ path: `/tmp/search-${name}.png`, fullPage: true });
  await page.goto("http://127.0.0.1:8931/search?q=" + encodeURIComponent("宅急便"));
  await page.screenshot({ path: `/tmp/search-none-${name}.png` });
  if (w === 1366) {
    await page.goto("http://127.0.0.1:8931/");
    await page.screenshot({ path: `/tmp/inbox-${name}.png` });
  }
}
await browser.close();
await server.shutdown();
await db.cleanup();
