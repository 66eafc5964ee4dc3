/**
 * A reply that scores as spam does not join (and reopen) the ticket it claims to answer: it is
 * held in 迷惑メール, linked; "迷惑メールではない" moves it into the thread. Over the real SMTP socket.
 */
import assert from "node:assert/strict";
import { findTicketByNumber } from "../../db/tickets.ts";
import { countByStatus } from "../../db/ticket_list.ts";
import { findSpamReplyLink } from "../../db/spam_reply_links.ts";
import { createAuthenticator, type DnsResolve } from "../../mail/mail_auth.ts";
import { addSpamRule, markNotSpam } from "../../services/spam.ts";
import { agent, changeStatus, createAgent, run } from "../runtime.ts";
import { rawMail } from "../helpers.ts";
import { at, startDesk } from "../automation_helpers.ts";

const MONDAY_NOON = at("2026-03-09T12:00+09:00");

/** A zone the test can change: example.net first sends from here, later only from elsewhere. */
function mutableZone(zone: Record<string, string>): DnsResolve {
  return (name, rrtype) =>
    rrtype === "TXT" && zone[name]
      ? Promise.resolve([[zone[name]]])
      : Promise.reject(Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" }));
}

function reply(from: string, id: string, body = "続きです") {
  return rawMail({
    From: from,
    To: "support@example.test",
    Subject: "Re: ご注文について [#1001]",
    "Message-ID": `<${id}>`,
    "In-Reply-To": "<first@example.net>",
    References: "<first@example.net>",
  }, body);
}

async function notifications(desk: Awaited<ReturnType<typeof startDesk>>) {
  return (await desk.store.db.selectFrom("notifications").select("ticket_id").execute())
    .map((n) => n.ticket_id);
}

Deno.test("spam reply: a forged reply in the customer's name is held in 迷惑メール, linked, without reopening; 迷惑メールではない moves it into the thread", async () => {
  const zone: Record<string, string> = {
    "example.net": "v=spf1 ip4:127.0.0.1 -all",
    "_dmarc.example.net": "v=DMARC1; p=reject",
  };
  const desk = await startDesk(MONDAY_NOON, {}, {
    authenticate: createAuthenticator(mutableZone(zone), { mta: "example.test" }),
  });
  try {
    const sato = await createAgent(desk.store, {
      email: "sato@example.test",
      name: "佐藤",
      password: "correct horse battery",
      role: "admin",
    });
    assert.match(
      await desk.send(
        "taro@example.net",
        rawMail({
          From: "Taro <taro@example.net>",
          To: "support@example.test",
          Subject: "ご注文について",
          "Message-ID": "<first@example.net>",
        }, "注文した商品が届きません"),
      ),
      /^250 /,
    );
    const original = (await findTicketByNumber(desk.store.db, 1001))!;
    await changeStatus(desk.store, original.id, "resolved", sato.id, MONDAY_NOON);
    const noticesBefore = (await notifications(desk)).length;

    // A genuine reply (SPF pass, aligned) joins and reopens as always.
    assert.match(await desk.send("taro@example.net", reply("taro@example.net", "r-1@x")), /^250 /);
    let ticket = (await findTicketByNumber(desk.store.db, 1001))!;
    assert.equal(ticket.messageCount, 2);
    assert.equal(ticket.status, "new");
    await changeStatus(desk.store, original.id, "resolved", sato.id, MONDAY_NOON);

    // Now example.net sends only from elsewhere: a reply from here is a forgery (DMARC fails).
    zone["example.net"] = "v=spf1 ip4:192.0.2.1 -all";
    assert.match(
      await desk.send("taro@example.net", reply("taro@example.net", "forged-1@x", "口座を変更")),
      /^250 /,
      "accepted: nothing is dropped",
    );
    ticket = (await findTicketByNumber(desk.store.db, 1001))!;
    assert.equal(ticket.status, "resolved", "the forged reply did not reopen the ticket");
    assert.equal(ticket.messageCount, 2, "nor join its thread");
    const held = (await findTicketByNumber(desk.store.db, 1002))!;
    assert.equal(held.status, "spam");
    assert.equal(held.messageCount, 1);
    assert.equal(held.departmentId, ticket.departmentId);
    const link = (await findSpamReplyLink(desk.store.db, held.id))!;
    assert.equal(link.targetNumber, 1001);
    assert.equal(link.movedAt, null);
    assert.equal((await countByStatus(desk.store.db)).spam, 1);
    const noticesAfterGenuine = (await notifications(desk)).length;
    assert.ok(noticesAfterGenuine > noticesBefore, "the genuine reply notified");
    const created = await desk.store.db.selectFrom("events").select("data_json")
      .where("kind", "=", "mail.created").where("ticket_id", "=", held.id)
      .executeTakeFirstOrThrow();
    const data = JSON.parse(created.data_json);
    assert.equal(data.heldFor, ticket.id);
    assert.ok(data.spam.reasons.includes("dmarc=fail"));

    // 迷惑メールではない: the reply goes into #1001's thread, which reopens and notifies.
    const now = await run(desk.rt, (ctx) => markNotSpam(ctx, { ticketId: held.id }), {
      actor: agent({ id: sato.id }),
    });
    assert.deepEqual(now, { ticketId: ticket.id, ticketNumber: 1001 });
    ticket = (await findTicketByNumber(desk.store.db, 1001))!;
    assert.equal(ticket.messageCount, 3);
    assert.equal(ticket.status, "new");
    const thread = await desk.store.db.selectFrom("messages").select(["message_id", "ticket_id"])
      .where("ticket_id", "=", ticket.id).orderBy("id").execute();
    assert.deepEqual(thread.map((m) => m.message_id), [
      "first@example.net",
      "r-1@x",
      "forged-1@x",
    ]);
    const husk = (await findTicketByNumber(desk.store.db, 1002))!;
    assert.equal(husk.status, "no_action");
    assert.equal(husk.messageCount, 0);
    assert.notEqual((await findSpamReplyLink(desk.store.db, held.id))!.movedAt, null);
    assert.equal(
      (await notifications(desk)).filter((id) => id === ticket.id).length,
      noticesAfterGenuine - noticesBefore + 1,
      "moving it in notified like a reply",
    );
    // Pressing it again changes nothing.
    await run(desk.rt, (ctx) => markNotSpam(ctx, { ticketId: held.id }), {
      actor: agent({ id: sato.id }),
    });
    assert.equal((await findTicketByNumber(desk.store.db, 1001))!.messageCount, 3);
  } finally {
    await desk.stop();
  }
});

Deno.test("spam reply: a denied sender's reply to a ticket is held, not joined; allowed again, it joins", async () => {
  const desk = await startDesk(MONDAY_NOON);
  try {
    const sato = await createAgent(desk.store, {
      email: "sato@example.test",
      name: "佐藤",
      password: "correct horse battery",
      role: "admin",
    });
    await desk.send(
      "taro@example.net",
      rawMail({
        From: "taro@example.net",
        To: "support@example.test",
        Subject: "ご注文について",
        "Message-ID": "<first@example.net>",
      }, "本文"),
    );
    // Someone else on the thread (Cc'd) turns abusive: an admin denies that address.
    await run(
      desk.rt,
      (ctx) => addSpamRule(ctx, { kind: "deny", pattern: "mallory@example.org" }),
      {
        actor: agent({ id: sato.id, role: "admin" }),
      },
    );
    assert.match(
      await desk.send("mallory@example.org", reply("mallory@example.org", "m-1@x")),
      /^250 /,
    );
    assert.equal((await findTicketByNumber(desk.store.db, 1001))!.messageCount, 1);
    const held = (await findTicketByNumber(desk.store.db, 1002))!;
    assert.equal(held.status, "spam");
    assert.equal((await findSpamReplyLink(desk.store.db, held.id))!.targetNumber, 1001);

    // A further reply from the same sender to the held ticket stays with it, in 迷惑メール.
    await desk.send(
      "mallory@example.org",
      rawMail({
        From: "mallory@example.org",
        To: "support@example.test",
        Subject: "Re: Re: ご注文について",
        "Message-ID": "<m-2@x>",
        "In-Reply-To": "<m-1@x>",
      }, "まだ"),
    );
    assert.equal((await findTicketByNumber(desk.store.db, 1002))!.messageCount, 2);
    assert.equal((await findTicketByNumber(desk.store.db, 1001))!.messageCount, 1);

    // Not spam after all: both go into #1001; the sender is allowed and the next reply joins.
    await run(desk.rt, (ctx) => markNotSpam(ctx, { ticketId: held.id }), {
      actor: agent({ id: sato.id }),
    });
    assert.equal((await findTicketByNumber(desk.store.db, 1001))!.messageCount, 3);
    await desk.send("mallory@example.org", reply("mallory@example.org", "m-3@x"));
    assert.equal((await findTicketByNumber(desk.store.db, 1001))!.messageCount, 4);
    assert.equal(await findTicketByNumber(desk.store.db, 1003), undefined);
  } finally {
    await desk.stop();
  }
});
