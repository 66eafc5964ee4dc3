/** Fixtures for the customer channel's HTTP tests: an app on a temp DB, forms, mails, links. */
import assert from "node:assert/strict";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
import { createApp } from "../../routes/mod.tsx";
import { createAgent } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

export const ORIGIN = "http://localhost";

export interface CustomerSetupOptions {
  env?: Record<string, string>;
  /** The app's clock; tests move it to expire links and tokens. */
  clock?: { now: number };
  agents?: boolean;
}

/** An app on a fresh database with an admin and an agent (unless `agents: false`). */
export async function setupCustomerApp(options: CustomerSetupOptions = {}) {
  const db = await tempStore();
  const config = testConfig(db.dir, options.env ?? {});
  const clock = options.clock;
  let wakes = 0;
  const app = createApp({
    store: db.store,
    config,
    outbox: { wake: () => void wakes++ },
    now: clock ? () => clock.now : undefined,
  });
  if (options.agents !== false) {
    await createAgent(db.store, {
      email: "admin@example.test",
      name: "管理者",
      password: "correct horse battery",
      role: "admin",
    });
    await createAgent(db.store, {
      email: "agent@example.test",
      name: "担当者",
      password: "another long password",
      role: "agent",
    });
  }

  async function request(
    path: string,
    init: RequestInit & { cookie?: string; lang?: string } = {},
  ) {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.lang) headers.set("accept-language", init.lang);
    if (init.method === "POST" && !headers.has("origin")) headers.set("origin", ORIGIN);
    return await app.request(`${ORIGIN}${path}`, { ...init, headers });
  }

  /** Loads a form page and returns its one-time token. */
  async function formToken(path: string, init: { lang?: string } = {}) {
    const res = await request(path, init);
    assert.equal(res.status, 200, `GET ${path}`);
    return tokenIn(await res.text());
  }

  /** Posts multipart form data (files as [name, bytes, type]). */
  async function postForm(
    path: string,
    fields: Record<string, string>,
    init: { files?: [string, Uint8Array, string][]; lang?: string; origin?: string } = {},
  ) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    for (const [name, bytes, type] of init.files ?? []) {
      body.append("files", new File([bytes as BlobPart], name, { type }));
    }
    const headers: Record<string, string> = {};
    if (init.origin) headers.origin = init.origin;
    return await request(path, { method: "POST", body, headers, lang: init.lang });
  }

  /** Fills and sends the default form; returns the response. */
  async function inquire(fields: Record<string, string> = {}, path = "/inquiry/support") {
    const form_token = await formToken(path);
    return await postForm(path, {
      form_token,
      name: "山田 太郎",
      email: "taro@example.com",
      subject: "請求書の再発行",
      text: "先月分の請求書を再発行してください。",
      ...fields,
    });
  }

  async function login(email = "admin@example.test", password = "correct horse battery") {
    const body = new URLSearchParams({ email, password, next: "/" });
    const res = await request("/login", { method: "POST", body });
    assert.equal(res.status, 303);
    return res.headers.get("set-cookie")!.split(";")[0];
  }

  /** Every queued mail, parsed, oldest first. */
  async function outbox() {
    const rows = await db.store.db.selectFrom("outbox")
      .select(["id", "raw", "envelope_to", "status"]).orderBy("id").execute();
    return await Promise.all(rows.map(async (r) => ({
      to: JSON.parse(r.envelope_to) as string[],
      status: r.status,
      raw: new TextDecoder().decode(r.raw),
      mail: await simpleParser(new TextDecoder().decode(r.raw)),
    })));
  }

  return {
    ...db,
    app,
    config,
    request,
    formToken,
    postForm,
    inquire,
    login,
    outbox,
    wakes: () => wakes,
  };
}

/** The one-time token of the form in a page. */
export function tokenIn(html: string): string {
  const m = /name="form_token" value="([^"]+)"/.exec(html);
  assert.ok(m, "no form token in the page");
  return m[1];
}

/** The customer-page path (/c/<token>) in a mail's text. */
export function customerPath(text: string): string {
  const m = /http:\/\/localhost(\/c\/[A-Za-z0-9_-]+)/.exec(text);
  assert.ok(m, `no customer link in: ${text}`);
  return m[1];
}

/** The access key in a mail's text. */
export function accessKeyIn(text: string): string {
  const m = /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(text);
  assert.ok(m, `no access key in: ${text}`);
  return m[1];
}
