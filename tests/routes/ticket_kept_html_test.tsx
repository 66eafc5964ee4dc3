/**
 * A ticket's conversation rendered once per kept thread read (components/kept_html.ts): the page
 * built from kept markup is byte for byte the page rendered afresh, for every variant a message's
 * markup depends on (folded or whole thread, remote images asked for, locale), and a new message
 * or a delivery's change shows on the next view.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createReadMemo } from "../../db/read_memo.ts";
import { keptHtml } from "../../components/kept_html.ts";
import { renderToString } from "preact-render-to-string";
import { createAgent, createSession, createTicketForCustomer, queueReply } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const NOW = Date.UTC(2026, 6, 7, 3, 0, 0);

Deno.test("kept html: rendered once per owner and variant, the same markup as a fresh render", () => {
  const owner = {};
  let renders = 0;
  const view = (who: string) => () => {
    renders++;
    return <p class="x">{who} &amp; &lt;b&gt;</p>;
  };
  const first = renderToString(<div>{keptHtml(owner, "ja", view("亜紀"))}</div>);
  assert.equal(first, renderToString(<div>{view("亜紀")()}</div>));
  assert.equal(renderToString(<div>{keptHtml(owner, "ja", view("other"))}</div>), first);
  assert.equal(renders, 2, "the second call with the same variant did not render");
  assert.notEqual(renderToString(<div>{keptHtml(owner, "en", view("Aki"))}</div>), first);
  assert.notEqual(renderToString(<div>{keptHtml({}, "ja", view("Ken"))}</div>), first);
  assert.equal(renders, 4);
});

Deno.test("kept html: a ticket page from kept messages is the fresh page, and changes show at once", async () => {
  const t = await tempStore();
  try {
    const agent = await createAgent(t.store, {
      email: "aki@example.test",
      name: "亜紀",
      password: "correct horse battery",
      role: "admin",
    });
    // Colleagues reading in English (Tokyo) and in Japanese from New York: the same kept
    // messages, other markup.
    const colleagues: { id: number }[] = [];
    const others: [string, string, string | null][] = [
      ["Ken", "en", null],
      ["Mei", "ja", "America/New_York"],
    ];
    for (const [name, locale, zone] of others) {
      const other = await createAgent(t.store, {
        email: `${name.toLowerCase()}@example.test`,
        name,
        password: "correct horse battery",
        role: "agent",
      });
      await t.store.writeTx((tx) =>
        tx.updateTable("agents").set({ locale, time_zone: zone })
          .where("id", "=", other.id).execute()
      );
      colleagues.push(other);
    }
    const cookies: string[] = [];
    for (const a of [agent, ...colleagues]) {
      cookies.push(`madoguchi_session=${await createSession(t.store, a.id, 3600_000)}`);
    }
    const cookie = cookies[0];
    const { id, number } = await createTicketForCustomer(t.store, {
      customer: { email: "taro@example.com", name: "Taro" },
      subject: "長いやりとり",
      text: "最初のメッセージ",
      channel: "phone",
      now: NOW - 3600_000,
    });
    await t.store.writeTx((tx) =>
      tx.insertInto("messages").values(Array.from({ length: 14 }, (_, i) => ({
        ticket_id: id,
        direction: "in" as const,
        from_address: "taro@example.com",
        from_name: "Taro",
        subject: "",
        text_body: `メッセージ ${i + 2}\n本文`,
        html_body: i % 4 === 0
          ? `<p>本文 ${i + 2} &lt;</p><img src="https://t.example.com/p${i}.gif">`
          : null,
        created_at: NOW - 3000_000 + i * 60_000,
      }))).execute()
    );
    const config = testConfig(t.dir);
    const deps = { config, outbox: { wake() {} }, now: () => NOW };
    const kept = createApp({ ...deps, store: t.store });
    const fresh = createApp({ ...deps, store: { ...t.store, memo: createReadMemo(null) } });
    const page = async (app: typeof kept, path: string, as = cookie) => {
      const res = await app.request(`${ORIGIN}${path}`, { headers: { cookie: as } });
      assert.equal(res.status, 200, path);
      // The composer's stamp is a fresh nonce on every view.
      return (await res.text()).replace(/name="compose_stamp" value="[^"]*"/, "compose_stamp");
    };
    const { rows } = await t.store.db.selectFrom("messages").select("id")
      .where("ticket_id", "=", id).where("html_body", "is not", null).orderBy("id").execute()
      .then((r) => ({ rows: r }));
    const paths = [
      `/tickets/${number}`,
      `/tickets/${number}?thread=all`,
      // An early message's images: the whole thread, that one message with its images.
      `/tickets/${number}?images=${rows[0].id}`,
      `/tickets/${number}?images=${rows.at(-1)!.id}`,
    ];
    const seen = new Set<string>();
    const compare = async () => {
      // Both agents in turn, nothing committed between: each gets their own variant.
      for (const path of paths) {
        for (const as of cookies) {
          const first = await page(kept, path, as);
          assert.equal(await page(kept, path, as), first, `${path}: kept twice`);
          assert.equal(await page(fresh, path, as), first, `${path}: kept = fresh`);
          seen.add(first);
        }
      }
    };
    await compare();
    // Each variant is its own page: none was served another's markup.
    assert.equal(seen.size, paths.length * cookies.length);
    assert.match(await page(kept, `/tickets/${number}`, cookies[1]), /Earlier messages \(5\)/);
    const before = await page(kept, `/tickets/${number}`);
    assert.match(before, /以前のメッセージ \(5件\)/);

    // A reply (held, no relay here: its delivery badge shows) is the next view's newest message.
    await queueReply(t.store, {}, {
      ticketId: id,
      agent,
      text: "ご連絡ありがとうございます。",
      status: "pending",
      now: NOW,
    });
    const after = await page(kept, `/tickets/${number}`);
    assert.match(after, /ご連絡ありがとうございます。/);
    assert.match(after, /以前のメッセージ \(6件\)/);
    assert.match(after, /class="badge delivery-held"/);
    await compare();

    // The delivery's state moves without a new message: the kept markup is not reused.
    await t.store.writeTx((tx) => tx.updateTable("outbox").set({ status: "sent" }).execute());
    const sent = await page(kept, `/tickets/${number}`);
    assert.doesNotMatch(sent, /class="badge delivery-held"/);
    assert.equal(sent, await page(fresh, `/tickets/${number}`));
  } finally {
    await t.cleanup();
  }
});
