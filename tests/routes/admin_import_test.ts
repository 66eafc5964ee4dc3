/** /admin/import: upload an mbox (streamed to disk) or name a server path; jobs with progress. */
import assert from "node:assert/strict";
import { testRuntime } from "../runtime.ts";
import { appFixture } from "./app_fixture.ts";
import { prepareImport, runImport } from "../../services/import.ts";
import { parseMessage } from "../../mail/parse.ts";
import { quarantinedByImport } from "../../db/imported_raw.ts";
import { importRunner } from "../../loops/import_runner.ts";
import { rawMail } from "../helpers.ts";

function setup() {
  return appFixture();
}

function mbox(n: number): string {
  const parts = [];
  for (let i = 1; i <= n; i++) {
    parts.push(
      `From someone@example.com Thu Jan  1 00:00:0${i} 2026\n` + rawMail({
        From: `customer${i}@example.com`,
        To: "support@example.test",
        Subject: `質問 ${i}`,
        "Message-ID": `<m${i}@example.com>`,
      }, "From the start: こんにちは").replaceAll("\r\n", "\n").replace(/^From the/m, ">From the") +
        "\n\n",
    );
  }
  return parts.join("");
}

async function tickets(store: Awaited<ReturnType<typeof setup>>["store"]) {
  return (await store.db.selectFrom("tickets").select("id").execute()).length;
}

Deno.test("admin import: admins only; an uploaded mbox is streamed to disk and imported in the background", async () => {
  const t = await setup();
  try {
    const agent = await t.login("aki@example.test");
    assert.equal((await t.request("/admin/import", { cookie: agent })).status, 404);
    const admin = await t.login("admin@example.test");
    const empty = await t.request("/admin/import", { cookie: admin });
    assert.equal(empty.status, 200);
    const html = await empty.text();
    assert.match(html, /メール取り込み/);
    assert.match(html, /まだ取り込みはありません/);

    const form = new FormData();
    form.set("to", "support@example.test");
    form.set("path", "");
    form.set("file", new File([mbox(3)], "Support.mbox", { type: "application/mbox" }));
    const res = await t.request("/admin/import", { method: "POST", body: form, cookie: admin });
    assert.equal(res.status, 303);
    await importRunner(t.store).idle();
    assert.equal(await tickets(t.store), 3);
    const saved = [...Deno.readDirSync(`${t.dir}/imports`)].map((e) => e.name);
    assert.equal(saved.length, 1, "the upload, without the spool file");
    assert.match(saved[0], /-Support\.mbox$/);
    assert.equal(
      Deno.readTextFileSync(`${t.dir}/imports/${saved[0]}`),
      mbox(3),
      "the file part byte-exact",
    );
    const page = await (await t.request("/admin/import", { cookie: admin })).text();
    assert.match(page, /Support\.mbox/);
    assert.match(page, /完了/);
    assert.match(page, /新規 3・返信 0・重複 0・隔離 0・スキップ 0/);
    assert.match(page, /<progress max="100" value="100"/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("admin import: a server path (a Maildir) is imported; no source or a bad path is an error", async () => {
  const t = await setup();
  try {
    const admin = await t.login("admin@example.test");
    const post = (fields: Record<string, string>) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.set(k, v);
      form.set("file", new File([], ""));
      return t.request("/admin/import", { method: "POST", body: form, cookie: admin });
    };
    const none = await post({ to: "", path: "" });
    assert.equal(none.headers.get("location"), "/admin/import?error=noSource");
    assert.match(
      await (await t.request("/admin/import?error=noSource", { cookie: admin })).text(),
      /ファイルを選ぶか/,
    );
    const missing = await post({ to: "", path: `${t.dir}/nope` });
    assert.equal(missing.status, 422);

    const md = `${t.dir}/Maildir`;
    for (const sub of ["cur", "new", "tmp"]) Deno.mkdirSync(`${md}/${sub}`, { recursive: true });
    Deno.writeTextFileSync(
      `${md}/cur/1700000001.a.host:2,S`,
      rawMail({ From: "a@example.com", Subject: "one", "Message-ID": "<md1@example.com>" }, "x"),
    );
    Deno.writeTextFileSync(
      `${md}/new/1700000002.b.host`,
      rawMail({
        From: "a@example.com",
        Subject: "Re: one",
        "Message-ID": "<md2@example.com>",
        "In-Reply-To": "<md1@example.com>",
      }, "y"),
    );
    const res = await post({ to: "support@example.test", path: md });
    assert.equal(res.status, 303);
    await importRunner(t.store).idle();
    const page = await (await t.request("/admin/import", { cookie: admin })).text();
    assert.match(page, /新規 1・返信 1/);
    assert.match(page, /maildir/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("admin import: a job lists its quarantined mail with where it was, to download or file again", async () => {
  const t = await setup();
  try {
    const path = `${t.dir}/three.mbox`;
    await Deno.writeTextFile(path, mbox(3));
    const rt = testRuntime(t.store);
    const job = await prepareImport(rt, { path });
    await runImport(rt, job.id, {
      parse: (raw) =>
        new TextDecoder().decode(raw).includes("<m2@")
          ? Promise.reject(new Error("bad MIME"))
          : parseMessage(raw),
    });
    const cookie = await t.login("admin@example.test");
    const page = await (await t.request("/admin/import", { cookie })).text();
    assert.match(page, /隔離されたメール 1 通/);
    const id = (await quarantinedByImport(t.store.db, job.id))[0].quarantineId;
    assert.match(page, new RegExp(`<code>offset \\d+</code> Cannot parse MIME: bad MIME`));
    assert.match(page, new RegExp(`action="/admin/quarantine/${id}/reprocess"`));
    const back = await t.request(`/admin/quarantine/${id}/reprocess`, { method: "POST", cookie });
    assert.equal(back.status, 303);
    assert.match(await (await t.request("/admin/import", { cookie })).text(), /再処理済み/);
  } finally {
    await t.cleanup();
  }
});
