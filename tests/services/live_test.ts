/** The live hub: catch-up by Last-Event-ID, resets, presence expiry. */
import assert from "node:assert/strict";
import { createLiveHub, type LiveEvent } from "../../services/live.ts";
import { tempStore } from "../helpers.ts";

Deno.test("live hub: a reconnect gets what it missed; an id older than the buffer or from another boot gets reset", async () => {
  const { store, cleanup } = await tempStore();
  let now = 1_000;
  const hub = createLiveHub(store.db, { bufferSize: 3, now: () => now });
  try {
    const seen: LiveEvent[] = [];
    const first = hub.subscribe({ onEvent: (e) => seen.push(e), onClose() {} });
    hub.beat(1001, { id: 1, name: "山田" }, "viewing");
    first.unsubscribe();
    const last = seen[0].id;
    hub.beat(1001, { id: 2, name: "佐藤" }, "writing");
    hub.beat(1001, { id: 1, name: "山田" }, "gone");
    const again = hub.subscribe({ onEvent() {}, onClose() {} }, last);
    assert.notEqual(again.missed, "reset");
    assert.deepEqual(
      (again.missed as LiveEvent[]).map((e) =>
        (e.data.people as { id: number }[]).map((p) => p.id)
      ),
      [[1, 2], [2]],
    );
    again.unsubscribe();
    // Two more events push the missed ones out of a buffer of three.
    hub.beat(1002, { id: 1, name: "山田" }, "viewing");
    hub.beat(1003, { id: 1, name: "山田" }, "viewing");
    assert.equal(hub.subscribe({ onEvent() {}, onClose() {} }, last).missed, "reset");
    assert.equal(hub.subscribe({ onEvent() {}, onClose() {} }, "other.1").missed, "reset");
    // Presence expires without a beat.
    now += 60_000;
    assert.deepEqual(hub.presence(1001), []);
  } finally {
    hub.close();
    await cleanup();
  }
});
