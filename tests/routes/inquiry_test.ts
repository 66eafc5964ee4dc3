/** The public inquiry form through app.request(): forms, validation, replays, uploads, abuse. */
import assert from "node:assert/strict";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { createDepartment, findDepartmentBySlug } from "../../db/departments.ts";
import { MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES } from "../../domain/inquiry_form.ts";
import { INQUIRY_POSTS_PER_HOUR } from "../../routes/inquiry.tsx";
import { setupCustomerApp, tokenIn } from "./customer_helpers.ts";

async function ticketCount(t: Awaited<ReturnType<typeof setupCustomerApp>>) {
  const { n } = await t.store.db.selectFrom("tickets")
    .select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(n);
}

Deno.test("inquiry: /inquiry shows the default department's form in Japanese with no JavaScript", async () => {
  const t = await setupCustomerApp();
  try {
    const res = await t.request("/inquiry");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    const html = await res.text();
    assert.match(html, /<html lang="ja"/);
    assert.match(html, /action="\/inquiry\/support"/);
    assert.match(html, /enctype="multipart\/form-data"/);
    assert.match(html, /name="form_token" value="[^"]+"/);
    assert.match(html, /name="website"/); // the honeypot
    assert.match(html, /お問い合わせ内容/);
    assert.doesNotMatch(html, /<script/i);
    const en = await (await t.request("/inquiry/support", { lang: "en-US,en;q=0.9" })).text();
    assert.match(en, /<html lang="en"/);
    assert.match(en, /Your message/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: an unknown department is a 404 page that leads to the default form", async () => {
  const t = await setupCustomerApp();
  try {
    for (const method of ["GET", "POST"]) {
      const res = method === "GET"
        ? await t.request("/inquiry/no-such-team")
        : await t.postForm("/inquiry/no-such-team", { email: "a@example.com" });
      assert.equal(res.status, 404, method);
      assert.match(res.headers.get("content-type")!, /text\/html/);
      const html = await res.text();
      assert.match(html, /見つかりません/);
      assert.match(html, /href="\/inquiry"/);
    }
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: a valid post opens a web ticket in its department and 303s to a thank-you page with the number", async () => {
  const t = await setupCustomerApp();
  try {
    const sales = await t.store.writeTx((tx) =>
      createDepartment(tx, { name: "営業部", slug: "sales" }, Date.now())
    );
    const res = await t.inquire({ category: "1", phone: "" }, "/inquiry/sales");
    assert.equal(res.status, 303);
    const location = res.headers.get("location")!;
    assert.match(location, /^\/inquiry\/thanks\/[A-Za-z0-9_-]{43}$/);
    assert.equal(t.wakes(), 1);
    const thanks = await t.request(location);
    assert.equal(thanks.status, 200);
    assert.equal(thanks.headers.get("cache-control"), "private, no-store");
    const html = await thanks.text();
    assert.match(html, /id="inquiry-number">1001</);
    assert.match(html, /ta\*\*\*@example\.com/);
    assert.doesNotMatch(html, /<script/i);

    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    assert.equal(ticket.channel, "web");
    assert.equal(ticket.departmentId, sales.id);
    assert.equal(ticket.status, "new");
    assert.equal(ticket.subject, "請求書の再発行");
    assert.equal(ticket.customerEmail, "taro@example.com");
    const [first] = await listMessages(t.store.db, ticket.id);
    assert.equal(first.direction, "in");
    assert.match(first.text, /^先月分の請求書を再発行してください。/);
    assert.match(first.text, /お問い合わせの種類: ご請求・お支払いについて/);
    const events = await t.store.db.selectFrom("events").select("kind")
      .where("ticket_id", "=", ticket.id).execute();
    assert.deepEqual(events.map((e) => e.kind), [
      "ticket.created",
      "confirmation.sent",
      "inquiry.received",
    ]);
    // A forged thank-you id shows nothing.
    assert.equal((await t.request("/inquiry/thanks/forged")).status, 404);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: a double submit or replay of the same form creates one ticket and lands on the same page", async () => {
  const t = await setupCustomerApp();
  try {
    const form_token = await t.formToken("/inquiry/support");
    const fields = {
      form_token,
      name: "山田",
      email: "taro@example.com",
      subject: "二重送信",
      text: "一度だけ",
    };
    const [a, b] = await Promise.all([
      t.postForm("/inquiry/support", fields),
      t.postForm("/inquiry/support", fields),
    ]);
    const c = await t.postForm("/inquiry/support", fields);
    for (const res of [a, b, c]) assert.equal(res.status, 303);
    assert.equal(a.headers.get("location"), b.headers.get("location"));
    assert.equal(a.headers.get("location"), c.headers.get("location"));
    assert.equal(await ticketCount(t), 1);
    const customerMails = (await t.outbox()).filter((m) => m.to.includes("taro@example.com"));
    assert.equal(customerMails.length, 1);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: invalid input re-renders with messages in the visitor's language, keeping what they typed", async () => {
  const t = await setupCustomerApp();
  try {
    const form_token = await t.formToken("/inquiry/support");
    const res = await t.postForm("/inquiry/support", {
      form_token,
      name: "山田 太郎",
      email: "taro@@example",
      subject: "",
      text: "本文はそのまま",
    });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /メールアドレスの形式が正しくありません/);
    assert.match(html, /入力してください/);
    assert.match(html, /value="山田 太郎"/);
    assert.match(html, /value="taro@@example"/);
    assert.match(html, />本文はそのまま<\/textarea>/);
    assert.match(html, /aria-invalid="true"/);
    assert.equal(await ticketCount(t), 0);

    const en = await t.postForm("/inquiry/support", {
      form_token,
      name: "Taro",
      email: "not-an-address",
      subject: "Hi",
      text: "Hello",
    }, { lang: "en" });
    assert.equal(en.status, 422);
    assert.match(await en.text(), /This is not a valid e-mail address/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: CR/LF in the name or subject is refused, so it can never reach a mail header", async () => {
  const t = await setupCustomerApp();
  try {
    for (const field of ["name", "subject"]) {
      const res = await t.inquire({ [field]: "Taro\r\nBcc: victim@example.org" });
      assert.equal(res.status, 422, field);
      assert.match(await res.text(), /改行や制御文字は使えません/);
    }
    const unicode = await t.inquire({ subject: "line\u2028separator" });
    assert.equal(unicode.status, 422);
    assert.equal(await ticketCount(t), 0);
    assert.equal((await t.outbox()).length, 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: markup in every field is escaped on the form, the thank-you page and the agent's ticket", async () => {
  const t = await setupCustomerApp();
  try {
    const xss = '<script>alert(1)</script><img src=x onerror="alert(2)">';
    const bad = await t.inquire({ name: xss, email: "bad", subject: xss, text: xss });
    assert.equal(bad.status, 422);
    const form = await bad.text();
    assert.doesNotMatch(form, /<script>alert/);
    assert.doesNotMatch(form, /<img src=x/);
    assert.match(form, /&lt;script>alert\(1\)&lt;\/script>/);

    const ok = await t.inquire({ name: xss, subject: xss, text: xss });
    assert.equal(ok.status, 303);
    const cookie = await t.login();
    const page = await (await t.request("/tickets/1001", { cookie })).text();
    assert.doesNotMatch(page, /<script>alert/);
    assert.doesNotMatch(page, /<img src=x/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: attachments are stored with the message; too many or too large ones are refused with nothing saved", async () => {
  const t = await setupCustomerApp();
  try {
    const pdf: [string, Uint8Array, string] = [
      "../../見積書.pdf",
      new Uint8Array(1234),
      "application/pdf",
    ];
    const ok = await t.postForm("/inquiry/support", {
      form_token: await t.formToken("/inquiry/support"),
      name: "山田",
      email: "taro@example.com",
      subject: "添付",
      text: "添付します",
    }, { files: [pdf] });
    assert.equal(ok.status, 303);
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const [message] = await listMessages(t.store.db, ticket.id);
    assert.deepEqual(
      message.attachments.map((a) => [a.filename, a.size, a.contentType]),
      [["見積書.pdf", 1234, "application/pdf"]],
    );

    const before = await ticketCount(t);
    const tooMany = Array.from(
      { length: MAX_FILES + 1 },
      (_, i) => [`f${i}.txt`, new Uint8Array(10), "text/plain"] as [string, Uint8Array, string],
    );
    const many = await t.postForm("/inquiry/support", {
      form_token: await t.formToken("/inquiry/support"),
      name: "山田",
      email: "taro@example.com",
      subject: "多すぎ",
      text: "本文",
    }, { files: tooMany });
    assert.equal(many.status, 422);
    const manyHtml = await many.text();
    assert.match(manyHtml, new RegExp(`${MAX_FILES}個までです`));
    assert.match(manyHtml, /value="多すぎ"/);
    assert.match(manyHtml, /もう一度選択してください/);

    const big = await t.postForm("/inquiry/support", {
      form_token: await t.formToken("/inquiry/support"),
      name: "山田",
      email: "taro@example.com",
      subject: "大きい",
      text: "本文",
    }, { files: [["big.bin", new Uint8Array(MAX_FILE_BYTES + 1), "application/octet-stream"]] });
    assert.equal(big.status, 422);
    assert.match(await big.text(), /「big\.bin」が大きすぎます/);

    const huge = await t.postForm("/inquiry/support", {
      form_token: await t.formToken("/inquiry/support"),
      name: "山田",
      email: "taro@example.com",
      subject: "巨大",
      text: "本文",
    }, { files: [["huge.bin", new Uint8Array(MAX_TOTAL_BYTES + 2 * 1024 * 1024), "x/y"]] });
    assert.equal(huge.status, 413);
    assert.match(huge.headers.get("content-type")!, /text\/html/);
    const hugeHtml = await huge.text();
    assert.match(hugeHtml, /何も保存されていません/);
    assert.match(hugeHtml, /href="\/inquiry\/support"/);
    assert.equal(await ticketCount(t), before);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: a filled honeypot gets a plain thank-you and creates nothing", async () => {
  const t = await setupCustomerApp();
  try {
    const res = await t.inquire({ website: "http://spam.example" });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /お問い合わせありがとうございました/);
    assert.doesNotMatch(html, /inquiry-number/);
    assert.equal(await ticketCount(t), 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: posts are limited per client address", async () => {
  const t = await setupCustomerApp();
  try {
    for (let i = 0; i < INQUIRY_POSTS_PER_HOUR; i++) {
      const res = await t.postForm("/inquiry/support", { email: "x" });
      assert.equal(res.status, 422, `post ${i}`);
    }
    const limited = await t.inquire();
    assert.equal(limited.status, 429);
    assert.match(await limited.text(), /送信が多すぎます/);
    assert.equal(await ticketCount(t), 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: a form from another origin is refused unless MADOGUCHI_FORM_ORIGINS lists it; then it is confirmed here", async () => {
  const refused = await setupCustomerApp();
  try {
    const res = await refused.postForm("/inquiry/support", {
      name: "山田",
      email: "taro@example.com",
      subject: "外部",
      text: "会社サイトから",
    }, { origin: "https://www.example.co.jp" });
    assert.equal(res.status, 403);
  } finally {
    await refused.cleanup();
  }

  const t = await setupCustomerApp({
    env: { MADOGUCHI_FORM_ORIGINS: "https://www.example.co.jp" },
  });
  try {
    const res = await t.postForm("/inquiry/support", {
      name: "山田",
      email: "taro@example.com",
      subject: "外部",
      text: "会社サイトから",
    }, { origin: "https://www.example.co.jp" });
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /内容をご確認のうえ/);
    assert.match(html, /value="外部"/);
    assert.equal(await ticketCount(t), 0);
    // The listed origin may post only the inquiry form, nothing else.
    const other = await t.request("/status", {
      method: "POST",
      headers: {
        origin: "https://www.example.co.jp",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "number=1&key=x",
    });
    assert.equal(other.status, 403);
    const sent = await t.postForm("/inquiry/support", {
      form_token: tokenIn(html),
      name: "山田",
      email: "taro@example.com",
      subject: "外部",
      text: "会社サイトから",
    });
    assert.equal(sent.status, 303);
    assert.equal(await ticketCount(t), 1);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: an expired, forged or other department's form token is refused, keeping the values", async () => {
  const clock = { now: Date.now() };
  const t = await setupCustomerApp({ clock });
  try {
    await t.store.writeTx((tx) =>
      createDepartment(tx, { name: "営業部", slug: "sales" }, Date.now())
    );
    const salesToken = await t.formToken("/inquiry/sales");
    const fields = { name: "山田", email: "taro@example.com", subject: "期限", text: "本文" };
    const other = await t.postForm("/inquiry/support", { ...fields, form_token: salesToken });
    assert.equal(other.status, 422);
    const forged = await t.postForm("/inquiry/support", { ...fields, form_token: "0.AAAA.BBBB" });
    assert.equal(forged.status, 422);
    const token = await t.formToken("/inquiry/support");
    clock.now += 25 * 3600_000;
    const expired = await t.postForm("/inquiry/support", { ...fields, form_token: token });
    assert.equal(expired.status, 422);
    const html = await expired.text();
    assert.match(html, /有効期限が切れた/);
    assert.match(html, /value="期限"/);
    assert.equal(await ticketCount(t), 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: a department's configured fields, order and requirements drive the form and its validation", async () => {
  const t = await setupCustomerApp();
  try {
    const cookie = await t.login();
    const support = (await findDepartmentBySlug(t.store.db, "support"))!;
    const edit = await (await t.request(`/admin/departments/${support.id}`, { cookie })).text();
    assert.match(edit, /name="f\.phone\.enabled"/);
    const form = new URLSearchParams({
      name: "サポート",
      "f.phone.enabled": "on",
      "f.phone.required": "on",
      "f.phone.order": "1",
      "f.phone.label_ja": "お電話番号",
      "f.email.enabled": "on",
      "f.email.required": "on",
      "f.email.order": "2",
      "f.text.enabled": "on",
      "f.text.required": "on",
      "f.text.order": "3",
      "f.category.enabled": "on",
      "f.category.order": "4",
      "f.category.options": "個人 | Personal\n法人 | Business",
      confirm_customer: "on",
    });
    const saved = await t.request(`/admin/departments/${support.id}`, {
      method: "POST",
      body: form,
      cookie,
    });
    assert.equal(saved.status, 303);
    const html = await (await t.request("/inquiry/support")).text();
    assert.doesNotMatch(html, /name="name"/);
    assert.doesNotMatch(html, /name="subject"/);
    assert.ok(html.indexOf('name="phone"') < html.indexOf('name="email"'), "phone comes first");
    assert.match(html, /お電話番号/);
    assert.match(html, /<option value="1">法人<\/option>/);

    const missing = await t.postForm("/inquiry/support", {
      form_token: tokenIn(html),
      email: "taro@example.com",
      text: "電話番号なし",
      category: "7",
    });
    assert.equal(missing.status, 422);
    const errors = await missing.text();
    assert.match(errors, /id="e-phone">入力してください/);
    assert.match(errors, /id="e-category">一覧から選択してください/);

    const ok = await t.postForm("/inquiry/support", {
      form_token: tokenIn(errors),
      email: "taro@example.com",
      phone: "０３-１２３４-５６７８",
      text: "電話してください",
      category: "1",
      subject: "ignored: the field is off",
    });
    assert.equal(ok.status, 303);
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    assert.equal(ticket.subject, "【法人】電話してください");
    const [message] = await listMessages(t.store.db, ticket.id);
    assert.match(message.text, /お電話番号: 03-1234-5678/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("inquiry: uploads above the app's general 2 MiB body limit pass on the form's own limit", async () => {
  const t = await setupCustomerApp();
  try {
    const res = await t.postForm("/inquiry", {
      form_token: await t.formToken("/inquiry"),
      name: "山田",
      email: "taro@example.com",
      subject: "図面",
      text: "図面を添付します",
    }, { files: [["図面.dwg", new Uint8Array(3 * 1024 * 1024), "application/octet-stream"]] });
    assert.equal(res.status, 303);
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const [message] = await listMessages(t.store.db, ticket.id);
    assert.equal(message.attachments[0].size, 3 * 1024 * 1024);
  } finally {
    await t.cleanup();
  }
});
