/**
 * Upload limits (5 files, 10 MiB each, 20 MiB together) hold on every customer form, whatever the
 * form shows: extra files are refused with the friendly message or ignored, never stored.
 */
import assert from "node:assert/strict";
import { findDepartmentSettings, saveDepartmentSettings } from "../../db/departments.ts";
import { findDefaultDepartment } from "../../db/departments.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { MAX_FILE_BYTES, MAX_FILES } from "../../domain/inquiry_form.ts";
import { toAttachments } from "../../routes/customer_form.tsx";
import { customerPath, setupCustomerApp, tokenIn } from "./customer_helpers.ts";

type T = Awaited<ReturnType<typeof setupCustomerApp>>;
type Upload = [string, Uint8Array, string];

const MiB = 1024 * 1024;
const many = (n: number): Upload[] =>
  Array.from({ length: n }, (_, i) => [`f${i}.txt`, new Uint8Array(10), "text/plain"]);
// Together 20.5 MiB: under the 21 MiB body limit, over the 20 MiB of files allowed.
const overTotal: Upload[] = [
  ["a.bin", new Uint8Array(MAX_FILE_BYTES), "application/octet-stream"],
  ["b.bin", new Uint8Array(MAX_FILE_BYTES), "application/octet-stream"],
  ["c.bin", new Uint8Array(MiB / 2), "application/octet-stream"],
];
const oneTooBig: Upload[] = [["big.bin", new Uint8Array(MAX_FILE_BYTES + 1), "x/y"]];

async function storedAttachments(t: T): Promise<number> {
  const { n } = await t.store.db.selectFrom("attachments")
    .select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(n);
}

async function turnOffAttachments(t: T) {
  const dept = (await findDefaultDepartment(t.store.db))!;
  const settings = await findDepartmentSettings(t.store.db, dept.id);
  const form = settings.form.map((f) => f.type === "attachments" ? { ...f, enabled: false } : f);
  await t.store.writeTx((tx) =>
    saveDepartmentSettings(tx, dept.id, dept.name, { ...settings, form }, Date.now())
  );
}

function inquiryFields(token: string, subject: string) {
  return { form_token: token, name: "山田", email: "taro@example.com", subject, text: "本文" };
}

Deno.test("upload limits: a form without an attachment field stores none of the files posted to it", async () => {
  const t = await setupCustomerApp();
  try {
    await turnOffAttachments(t);
    const page = await (await t.request("/inquiry/support")).text();
    assert.doesNotMatch(page, /type="file"/);
    for (
      const [subject, files] of [["多い", many(MAX_FILES + 3)], ["大きい", oneTooBig]] as const
    ) {
      const res = await t.postForm(
        "/inquiry/support",
        inquiryFields(await t.formToken("/inquiry/support"), subject),
        { files: [...files] },
      );
      // The form shows no file input: files posted anyway are ignored, the inquiry is filed.
      assert.equal(res.status, 303, subject);
    }
    assert.equal(await storedAttachments(t), 0);
    for (const number of [1001, 1002]) {
      const ticket = (await findTicketByNumber(t.store.db, number))!;
      const [message] = await listMessages(t.store.db, ticket.id);
      assert.deepEqual(message.attachments, []);
    }
  } finally {
    await t.cleanup();
  }
});

Deno.test("upload limits: the inquiry form refuses files over 20 MiB together with the friendly message", async () => {
  const t = await setupCustomerApp();
  try {
    const res = await t.postForm(
      "/inquiry/support",
      inquiryFields(await t.formToken("/inquiry/support"), "合計"),
      { files: overTotal },
    );
    assert.equal(res.status, 422);
    assert.match(await res.text(), /合計20MBまで|20 ?MB/);
    assert.equal(await storedAttachments(t), 0);
  } finally {
    await t.cleanup();
  }
});

async function customerPage(t: T) {
  assert.equal((await t.inquire()).status, 303);
  const mail = (await t.outbox()).find((m) => m.to.includes("taro@example.com"))!;
  return customerPath(mail.mail.text ?? "");
}

Deno.test("upload limits: the customer page refuses too many, too large and too much with the friendly message", async () => {
  const t = await setupCustomerApp();
  try {
    const path = await customerPage(t);
    const cases: [Upload[], RegExp][] = [
      [many(MAX_FILES + 1), new RegExp(`${MAX_FILES}個までです`)],
      [oneTooBig, /「big\.bin」が大きすぎます/],
      [overTotal, /20 ?MB/],
    ];
    for (const [files, message] of cases) {
      const token = tokenIn(await (await t.request(path)).text());
      const res = await t.postForm(path, { form_token: token, text: "添付します" }, { files });
      assert.equal(res.status, 422, String(message));
      assert.match(await res.text(), message);
    }
    assert.equal(await storedAttachments(t), 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("upload limits: toAttachments refuses to turn uploads past the limits into attachments", async () => {
  const files = (uploads: Upload[]) =>
    uploads.map(([name, bytes, type]) => new File([bytes as BlobPart], name, { type }));
  for (const uploads of [many(MAX_FILES + 1), oneTooBig, overTotal]) {
    await assert.rejects(() => toAttachments(files(uploads)), /past the limits/);
  }
  assert.equal((await toAttachments(files(many(MAX_FILES)))).length, MAX_FILES);
});
