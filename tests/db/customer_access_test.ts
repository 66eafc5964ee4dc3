import assert from "node:assert/strict";
import {
  findCustomerLink,
  findReceipt,
  findSubmission,
  findTicketAccessByNumber,
  insertCustomerLink,
  insertSubmission,
  revokeCustomerLinks,
  ticketLocale,
  upsertTicketAccess,
} from "../../db/customer_access.ts";
import { insertCustomerMessage } from "../../db/messages.ts";
import { hashSecret } from "../../domain/tokens.ts";
import { issueCustomerLink } from "../../mail/customer_link.ts";
import { seedTicket, withStore } from "./seed.ts";

Deno.test("customer links: only the token's hash is stored; the link is found by that hash alone", () =>
  withStore(async (store) => {
    const { t, token } = await store.writeTx(async (tx) => {
      const t = await seedTicket(tx);
      return { t, token: await issueCustomerLink(tx, t.id, 1_000) };
    });
    const rows = await store.db.selectFrom("customer_links").selectAll().execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0].token_hash, await hashSecret(token));
    assert.ok(!JSON.stringify(rows).includes(token), "the working token is nowhere in the row");
    const link = await findCustomerLink(store.db, await hashSecret(token));
    assert.deepEqual(
      [link?.ticketId, link?.number, link?.status, link?.revokedAt],
      [t.id, 1001, "new", null],
    );
    assert.equal(await findCustomerLink(store.db, token), undefined, "the raw token is no key");
  }));

Deno.test("customer links: revoking marks every live link of the ticket once, not other tickets'", () =>
  withStore(async (store) => {
    const { t } = await store.writeTx(async (tx) => {
      const t = await seedTicket(tx);
      const other = await seedTicket(tx);
      await insertCustomerLink(tx, t.id, "h1", 1_000);
      await insertCustomerLink(tx, t.id, "h2", 1_000);
      await insertCustomerLink(tx, other.id, "h3", 1_000);
      return { t };
    });
    assert.equal(await store.writeTx((tx) => revokeCustomerLinks(tx, t.id, 2_000)), 2);
    assert.equal(await store.writeTx((tx) => revokeCustomerLinks(tx, t.id, 3_000)), 0);
    assert.equal(
      (await findCustomerLink(store.db, "h1"))?.revokedAt,
      2_000,
      "first revocation kept",
    );
    assert.equal((await findCustomerLink(store.db, "h2"))?.revokedAt, 2_000);
    assert.equal((await findCustomerLink(store.db, "h3"))?.revokedAt, null);
    // A link minted after a revocation is live.
    await store.writeTx((tx) => insertCustomerLink(tx, t.id, "h4", 4_000));
    assert.equal((await findCustomerLink(store.db, "h4"))?.revokedAt, null);
  }));

Deno.test("customer access: a new access key replaces the old hash and keeps the customer's language", () =>
  withStore(async (store) => {
    const t = await store.writeTx((tx) => seedTicket(tx));
    assert.equal(await ticketLocale(store.db, t.id), "ja", "no access row: ja");
    await store.writeTx((tx) =>
      upsertTicketAccess(tx, { ticketId: t.id, accessKeyHash: "k1", locale: "en", now: 1_000 })
    );
    await store.writeTx((tx) =>
      upsertTicketAccess(tx, { ticketId: t.id, accessKeyHash: "k2", now: 2_000 })
    );
    const access = await findTicketAccessByNumber(store.db, t.number);
    assert.equal(access?.accessKeyHash, "k2");
    assert.equal(access?.ticketId, t.id);
    assert.equal(await ticketLocale(store.db, t.id), "en");
    assert.equal(await findTicketAccessByNumber(store.db, t.number + 1), undefined);
  }));

Deno.test("form submissions: a form token is recorded once; its receipt shows the ticket", () =>
  withStore(async (store) => {
    const { t, messageId } = await store.writeTx(async (tx) => {
      const t = await seedTicket(tx, { email: "taro@example.com" });
      const messageId = await insertCustomerMessage(tx, {
        ticketId: t.id,
        from: { address: "taro@example.com", name: "" },
        supportAddress: "support@example.test",
        subject: "s",
        text: "x",
        attachments: [],
        now: 1_000,
      });
      await insertSubmission(tx, {
        nonceHash: "n1",
        receiptHash: "r1",
        ticketId: t.id,
        messageId,
        now: 1_000,
      });
      return { t, messageId };
    });
    assert.deepEqual(await findSubmission(store.db, "n1"), { ticketId: t.id, messageId });
    assert.equal(await findSubmission(store.db, "n2"), undefined);
    await assert.rejects(
      store.writeTx((tx) =>
        insertSubmission(tx, {
          nonceHash: "n1",
          receiptHash: null,
          ticketId: t.id,
          messageId,
          now: 2_000,
        })
      ),
      "a replayed form token cannot be recorded twice",
    );
    assert.deepEqual(await findReceipt(store.db, "r1"), {
      number: t.number,
      email: "taro@example.com",
      createdAt: 1_000,
    });
    assert.equal(await findReceipt(store.db, "r2"), undefined);
  }));
