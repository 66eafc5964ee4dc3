import assert from "node:assert/strict";
import { countCustomerEvents, listTicketEvents, recordEvent } from "../../db/events.ts";
import { seedAgent, seedTicket, withStore } from "./seed.ts";

Deno.test("events: a ticket's events come back in the order recorded, with the agent's name", () =>
  withStore(async (store) => {
    const { t, other } = await store.writeTx(async (tx) => {
      const aki = await seedAgent(tx, "aki@example.test", "Aki");
      const t = await seedTicket(tx);
      const other = await seedTicket(tx);
      // Recorded out of clock order (a clock step back): the trail keeps insertion order.
      await recordEvent(tx, { ticketId: t.id, agentId: null, kind: "ticket.created", now: 2_000 });
      await recordEvent(tx, {
        ticketId: t.id,
        agentId: aki,
        kind: "status.changed",
        data: { from: "new", to: "open" },
        now: 1_000,
      });
      await recordEvent(tx, { ticketId: other.id, agentId: aki, kind: "elsewhere", now: 1_500 });
      await recordEvent(tx, { ticketId: t.id, agentId: aki, kind: "reply.sent", now: 3_000 });
      return { t, other };
    });
    const events = await listTicketEvents(store.db, t.id);
    assert.deepEqual(
      events.map((e) => [e.kind, e.agentName, e.createdAt, JSON.parse(e.dataJson)]),
      [
        ["ticket.created", null, 2_000, {}],
        ["status.changed", "Aki", 1_000, { from: "new", to: "open" }],
        ["reply.sent", "Aki", 3_000, {}],
      ],
    );
    assert.deepEqual((await listTicketEvents(store.db, other.id)).map((e) => e.kind), [
      "elsewhere",
    ]);
  }));

Deno.test("events: counting a customer's events sees only that address, that kind, since then", () =>
  withStore(async (store) => {
    await store.writeTx(async (tx) => {
      const a1 = await seedTicket(tx, { email: "taro@example.com" });
      const a2 = await seedTicket(tx, { email: "taro@example.com" });
      const b = await seedTicket(tx, { email: "hanako@example.com" });
      for (
        const [ticketId, kind, now] of [
          [a1.id, "inquiry.received", 100],
          [a1.id, "inquiry.received", 200],
          [a2.id, "inquiry.received", 300],
          [a2.id, "reply.sent", 300],
          [b.id, "inquiry.received", 300],
        ] as const
      ) {
        await recordEvent(tx, { ticketId, agentId: null, kind, now });
      }
    });
    const count = (email: string, since: number) =>
      countCustomerEvents(store.db, { email, kind: "inquiry.received", since });
    assert.equal(await count("taro@example.com", 0), 3);
    assert.equal(await count("TARO@Example.com", 200), 2, "since is inclusive; any case");
    assert.equal(await count("hanako@example.com", 0), 1);
    assert.equal(await count("nobody@example.com", 0), 0);
  }));
