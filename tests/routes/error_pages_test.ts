/**
 * app.onError: each domain error is its status, as a localized page for browsers and the API's
 * JSON error under /api/v1; an unexpected error's message never reaches the visitor.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { createApp } from "../../routes/mod.tsx";
import { errorHandler } from "../../routes/error_pages.tsx";
import type { AppEnv } from "../../routes/state.ts";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "../../domain/errors.ts";
import { createAgent } from "../runtime.ts";
import { translator } from "../../domain/i18n/mod.ts";
import { createTicketForCustomer } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const SECRET = "SECRET internal detail";

const THROWN: Record<string, () => Error> = {
  validation: () => new ValidationError(`${SECRET} (validation)`, { name: "is required" }),
  forbidden: () => new ForbiddenError(`${SECRET} (forbidden)`),
  not_found: () => new NotFoundError(`${SECRET} (not found)`),
  conflict: () => new ConflictError(`${SECRET} (conflict)`),
  internal: () => new Error(SECRET),
  csrf: () => new HTTPException(403, { message: "Forbidden" }),
};

const STATUS: Record<string, number> = {
  validation: 422,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal: 500,
};

const PAGE_TEXT = {
  validation: "error.validation",
  forbidden: "error.forbidden",
  not_found: "error.notFound",
  conflict: "error.conflict",
  internal: "error.server",
} as const;

/** An app whose routes throw each kind of error, mounted like the real one. */
function throwingApp() {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set("requestId", "req-42");
    await next();
  });
  app.get("/api/v1/boom/:kind", (c) => {
    throw THROWN[c.req.param("kind")]();
  });
  app.get("/boom/:kind", (c) => {
    throw THROWN[c.req.param("kind")]();
  });
  app.onError(errorHandler);
  return app;
}

async function withLoggedErrors<T>(fn: (logged: unknown[][]) => Promise<T>): Promise<T> {
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    return await fn(logged);
  } finally {
    console.error = original;
  }
}

Deno.test("onError: a browser gets a localized page per status, never the error's message", async () => {
  await withLoggedErrors(async (logged) => {
    const app = throwingApp();
    for (const [kind, status] of Object.entries(STATUS)) {
      for (const lang of ["ja", "en"] as const) {
        const res = await app.request(`/boom/${kind}`, { headers: { "accept-language": lang } });
        assert.equal(res.status, status, kind);
        assert.match(res.headers.get("content-type")!, /^text\/html/);
        const html = await res.text();
        assert.doesNotMatch(html, /SECRET/, `${kind} ${lang}`);
        const t = translator(lang);
        const key = PAGE_TEXT[kind as keyof typeof PAGE_TEXT];
        assert.ok(html.includes(t(key)), `${kind} ${lang} shows ${key}`);
        assert.match(html, new RegExp(`<html lang="${lang}"`));
      }
    }
    // Only the unexpected error is logged, with the request id; domain errors are expected.
    assert.equal(logged.length, 2);
    assert.match(String(logged[0][0]), /^\[req-42\] GET \/boom\/internal/);
    assert.equal((logged[0][1] as Error).message, SECRET);
  });
});

Deno.test("onError: the API gets its JSON error shape per status, never an internal message", async () => {
  await withLoggedErrors(async (logged) => {
    const app = throwingApp();
    const codes: Record<string, string> = {
      validation: "invalid_request",
      forbidden: "forbidden",
      not_found: "not_found",
      conflict: "conflict",
      internal: "internal",
    };
    for (const [kind, status] of Object.entries(STATUS)) {
      const res = await app.request(`/api/v1/boom/${kind}`);
      assert.equal(res.status, status, kind);
      assert.match(res.headers.get("content-type")!, /^application\/json/);
      const body = await res.json();
      assert.equal(body.error.code, codes[kind]);
      assert.equal(typeof body.error.message, "string");
      if (kind === "validation") {
        // The validation summary and fields are the client's own input, so they are shown.
        assert.deepEqual(body.error.fields, { name: "is required" });
      } else {
        assert.doesNotMatch(body.error.message, /SECRET/, kind);
        assert.equal(body.error.fields, undefined);
      }
    }
    assert.equal(logged.length, 1);
    assert.match(String(logged[0][0]), /^\[req-42\] GET \/api\/v1\/boom\/internal/);
  });
});

Deno.test("onError: Hono's HTTPException (CSRF 403) keeps its own response", async () => {
  const res = await throwingApp().request("/boom/csrf");
  assert.equal(res.status, 403);
  assert.equal(await res.text(), "Forbidden");
});

async function agentApp() {
  const db = await tempStore();
  const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
  await createAgent(db.store, {
    email: "admin@example.test",
    name: "Admin",
    password: "correct horse battery",
    role: "admin",
  });
  await createTicketForCustomer(db.store, {
    customer: { email: "taro@example.com", name: "Taro" },
    subject: "Question",
    text: "Hello",
    channel: "phone",
    supportAddress: "support@example.test",
    agentId: null,
    now: Date.now(),
  });
  const login = await app.request(`${ORIGIN}/login`, {
    method: "POST",
    headers: { origin: ORIGIN },
    body: new URLSearchParams({
      email: "admin@example.test",
      password: "correct horse battery",
      next: "/",
    }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const get = (path: string) => app.request(`${ORIGIN}${path}`, { headers: { cookie } });
  const post = (path: string, form: Record<string, string>) =>
    app.request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN },
      body: new URLSearchParams(form),
    });
  return { db, get, post };
}

Deno.test("ticket forms: a forged status, priority or department is a friendly 422 page", async () => {
  const { db, post } = await agentApp();
  try {
    const ja = translator("ja");
    for (
      const [path, form] of [
        ["/tickets/1001/status", { status: "closed" }],
        ["/tickets/1001/priority", { priority: "whenever" }],
        ["/tickets/1001/department", { department: "x" }],
        ["/tickets/1001/department", {}],
      ] as const
    ) {
      const res = await post(path, form);
      assert.equal(res.status, 422, path);
      assert.match(res.headers.get("content-type")!, /^text\/html/);
      const html = await res.text();
      assert.ok(html.includes(ja("error.validation")), path);
      assert.doesNotMatch(html, /must be|invalid fields/);
    }
    const moved = await post("/tickets/1001/department", { department: "999" });
    assert.equal(moved.status, 422, "an unknown department");
    const ok = await post("/tickets/1001/priority", { priority: "high" });
    assert.equal(ok.status, 303);
  } finally {
    await db.cleanup();
  }
});

Deno.test("inbox: bad query values fall back to the defaults instead of failing", async () => {
  const { db, get } = await agentApp();
  try {
    const res = await get("/?status=bogus&sort=random&page=x&q=%20Question%20");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /Question/);
    assert.match(html, /<option value="newest" selected/);
    // An unknown status is the "all" folder; no status at all is 未対応.
    assert.match(
      html,
      /href="\/\?status=all&amp;sort=newest&amp;q=Question&amp;page=1" class="active"/,
    );
    const paged = await get("/?page=999999999999");
    assert.equal(paged.status, 200);
    const customer = await get("/customers/1?page=-3");
    assert.equal(customer.status, 200);
  } finally {
    await db.cleanup();
  }
});
