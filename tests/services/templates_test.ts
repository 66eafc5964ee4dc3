/** Reply templates: scopes and permissions, filling, the unfilled-variable block, usage counts. */
import assert from "node:assert/strict";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
import { tempStore } from "../helpers.ts";
import { agent, createTicketForCustomer, run, testRuntime } from "../runtime.ts";
import { createAgent } from "../runtime.ts";
import { createDepartment } from "../../db/departments.ts";
import { findTemplate, listVisibleTemplates } from "../../db/templates.ts";
import { findTicket } from "../../db/tickets.ts";
import { listMessages } from "../../db/messages.ts";
import {
  createTemplate,
  editTemplate,
  filledTemplate,
  removeTemplate,
  saveReplyAsTemplate,
} from "../../services/templates.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { suggestTemplates } from "../../services/suggestions.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../../domain/errors.ts";

async function setup() {
  const db = await tempStore();
  const rt = testRuntime(db.store, { sender: { publicUrl: "http://localhost" } });
  const mk = async (email: string, name: string, role: "admin" | "agent") => {
    const a = await createAgent(db.store, { email, name, password: "long enough password", role });
    return agent({ id: a.id, name, role });
  };
  const admin = await mk("admin@example.test", "管理者", "admin");
  const sato = await mk("sato@example.test", "佐藤", "agent");
  const suzuki = await mk("suzuki@example.test", "鈴木", "agent");
  const ticket = await createTicketForCustomer(db.store, {
    customer: { email: "taro@example.com", name: "山田 太郎" },
    subject: "請求書の再発行について",
    text: "先月分の請求書を再発行していただけますか。",
    channel: "api",
  });
  return { ...db, rt, admin, sato, suzuki, ticket };
}

Deno.test("templates: a personal template is its owner's alone, even for an admin", async () => {
  const s = await setup();
  try {
    const id = await run(
      s.rt,
      (ctx) => createTemplate(ctx, { title: "自分用", body: "本文", scope: "personal" }),
      { actor: s.sato },
    );
    assert.equal(
      (await listVisibleTemplates(s.store.db, s.sato.kind === "agent" ? s.sato.id : 0)).length,
      1,
    );
    for (const other of [s.suzuki, s.admin]) {
      const otherId = other.kind === "agent" ? other.id : 0;
      assert.equal((await listVisibleTemplates(s.store.db, otherId)).length, 0);
      await assert.rejects(
        run(s.rt, (ctx) => editTemplate(ctx, id, { title: "x" }), { actor: other }),
        NotFoundError,
      );
    }
  } finally {
    await s.cleanup();
  }
});

Deno.test("templates: shared ones are seen by all, changed only by the author or an admin", async () => {
  const s = await setup();
  try {
    const id = await run(
      s.rt,
      (ctx) => createTemplate(ctx, { title: "共有", body: "本文", scope: "shared" }),
      { actor: s.sato },
    );
    await assert.rejects(
      run(s.rt, (ctx) => editTemplate(ctx, id, { title: "変更" }), { actor: s.suzuki }),
      ForbiddenError,
    );
    await assert.rejects(
      run(s.rt, (ctx) => removeTemplate(ctx, id), { actor: s.suzuki }),
      ForbiddenError,
    );
    await run(s.rt, (ctx) => editTemplate(ctx, id, { title: "管理者が変更" }), { actor: s.admin });
    assert.equal((await findTemplate(s.store.db, id))?.title, "管理者が変更");
    // An admin cannot make someone else's shared template disappear into a personal one.
    await assert.rejects(
      run(s.rt, (ctx) => editTemplate(ctx, id, { scope: "personal" }), { actor: s.admin }),
      ForbiddenError,
    );
  } finally {
    await s.cleanup();
  }
});

Deno.test("templates: a department template serves that department's tickets only", async () => {
  const s = await setup();
  try {
    const sales = await s.store.writeTx((tx) =>
      createDepartment(tx, { name: "営業", slug: "sales" }, 0)
    );
    const id = await run(
      s.rt,
      (ctx) =>
        createTemplate(ctx, {
          title: "営業向け",
          body: "本文",
          scope: "department",
          departmentId: sales.id,
        }),
      {
        actor: s.sato,
      },
    );
    const ticket = (await findTicket(s.store.db, s.ticket.id))!;
    const me = { id: s.sato.kind === "agent" ? s.sato.id : 0, name: "佐藤" };
    await assert.rejects(filledTemplate(s.store.db, me, ticket, id), NotFoundError);
    await assert.rejects(
      run(s.rt, (ctx) => createTemplate(ctx, { title: "x", body: "y", scope: "department" }), {
        actor: s.sato,
      }),
      ValidationError,
    );
  } finally {
    await s.cleanup();
  }
});

Deno.test("templates: unknown variables are refused when saving", async () => {
  const s = await setup();
  try {
    await assert.rejects(
      run(
        s.rt,
        (ctx) => createTemplate(ctx, { title: "t", body: "{{custmer.name}} 様", scope: "shared" }),
        {
          actor: s.sato,
        },
      ),
      (e) => e instanceof ValidationError && /custmer\.name/.test(e.fields.body),
    );
  } finally {
    await s.cleanup();
  }
});

Deno.test("templates: filled for the ticket; unfilled variables block the reply; use is counted", async () => {
  const s = await setup();
  try {
    const id = await run(s.rt, (ctx) =>
      createTemplate(ctx, {
        title: "請求書の再発行",
        body:
          "{{customer.name}} 様\n#{{ticket.number}} の件、{{agent.name}}({{department.name}})です。\n{{customer_page_url}}",
        scope: "shared",
      }), { actor: s.sato });
    const ticket = (await findTicket(s.store.db, s.ticket.id))!;
    const me = { id: s.sato.kind === "agent" ? s.sato.id : 0, name: "佐藤" };
    const { text } = await filledTemplate(s.store.db, me, ticket, id);
    assert.match(
      text,
      /^山田 太郎 様\n#1001 の件、佐藤\(サポート\)です。\n\{\{customer_page_url\}\}$/,
    );

    await assert.rejects(
      run(s.rt, (ctx) =>
        replyToCustomer(ctx, {
          ticketId: ticket.id,
          text: "{{order.id}} を確認しました",
          status: "pending",
          templateId: id,
        }), { actor: s.sato }),
      (e) => e instanceof ValidationError && /\{\{order\.id\}\}/.test(e.message),
    );
    assert.equal((await findTemplate(s.store.db, id))?.usageCount, 0);

    const messageId = await run(
      s.rt,
      (ctx) =>
        replyToCustomer(ctx, { ticketId: ticket.id, text, status: "pending", templateId: id }),
      {
        actor: s.sato,
      },
    );
    assert.equal((await findTemplate(s.store.db, id))?.usageCount, 1);
    const sent = (await listMessages(s.store.db, ticket.id)).find((m) => m.id === messageId)!;
    // The link is filled into the mail, and masked on the ticket like every customer link.
    assert.doesNotMatch(sent.text, /customer_page_url/);
    assert.doesNotMatch(sent.text, /\/c\/[A-Za-z0-9_-]{20,}/);
    const raw = await s.store.db.selectFrom("outbox").select("raw").executeTakeFirstOrThrow();
    const mail = await simpleParser(new TextDecoder().decode(raw.raw));
    // One link in place of the variable, one in the usual footer.
    assert.equal(mail.text?.match(/http:\/\/localhost\/c\/[A-Za-z0-9_-]+/g)?.length, 2);
    assert.match(mail.text ?? "", /です。\nhttp:\/\/localhost\/c\//);

    // The reply now feeds the suggestions; and it can become a personal template.
    const copy = await run(s.rt, (ctx) => saveReplyAsTemplate(ctx, messageId), { actor: s.suzuki });
    const saved = (await findTemplate(s.store.db, copy))!;
    assert.equal(saved.scope, "personal");
    assert.equal(saved.title, "請求書の再発行について");
  } finally {
    await s.cleanup();
  }
});

Deno.test("suggestions: the template that answers the customer's message comes first", async () => {
  const s = await setup();
  try {
    const make = (title: string, body: string) =>
      run(s.rt, (ctx) => createTemplate(ctx, { title, body, scope: "shared" }), { actor: s.sato });
    const invoice = await make("請求書の再発行", "請求書を再発行し、PDFでお送りします。");
    await make("配送状況のご案内", "お荷物の配送状況は追跡番号からご確認いただけます。");
    await make("パスワードの再設定", "ログイン画面の「パスワードを忘れた」から再設定できます。");
    const ticket = (await findTicket(s.store.db, s.ticket.id))!;
    const me = { id: s.sato.kind === "agent" ? s.sato.id : 0 };
    const list = await suggestTemplates(s.store.db, me, ticket);
    assert.equal(list[0].templateId, invoice);
    assert.ok(list[0].terms.includes("請求書"), list[0].terms.join());
    assert.ok(list.length <= 3);
  } finally {
    await s.cleanup();
  }
});

Deno.test("suggestions: the cached index follows edits, even within the same millisecond", async () => {
  const s = await setup();
  try {
    const now = 1_700_000_000_000;
    const id = await run(
      s.rt,
      (ctx) =>
        createTemplate(ctx, {
          title: "配送状況",
          body: "追跡番号をご確認ください。",
          scope: "shared",
        }),
      {
        actor: s.sato,
        now,
      },
    );
    const ticket = (await findTicket(s.store.db, s.ticket.id))!;
    const me = { id: s.sato.kind === "agent" ? s.sato.id : 0 };
    assert.deepEqual(await suggestTemplates(s.store.db, me, ticket), []);
    await run(s.rt, (ctx) => editTemplate(ctx, id, { body: "請求書を再発行します。" }), {
      actor: s.sato,
      now,
    });
    assert.equal((await suggestTemplates(s.store.db, me, ticket))[0]?.templateId, id);
    // A personal template of someone else is never suggested, though it is in the index.
    await run(
      s.rt,
      (ctx) =>
        createTemplate(ctx, { title: "請求書の再発行", body: "請求書 再発行", scope: "personal" }),
      {
        actor: s.suzuki,
      },
    );
    const ids = (await suggestTemplates(s.store.db, me, ticket)).map((x) => x.templateId);
    assert.deepEqual(ids, [id]);
  } finally {
    await s.cleanup();
  }
});
