/** HTTP Basic's short memory of verified credentials (routes/login_guard.ts). */
import assert from "node:assert/strict";
import { changeAgentPassword, createAgent } from "../runtime.ts";
import { createLoginGuard, REMEMBER_BASIC_MS } from "../../routes/login_guard.ts";
import type { Ctx } from "../../routes/state.ts";
import { verifyPassword } from "../../domain/password.ts";
import { tempStore, testConfig } from "../helpers.ts";

Deno.test("login guard: a verified Basic credential is remembered for a minute, never past a password change", async () => {
  const db = await tempStore();
  try {
    const config = testConfig(db.dir);
    // Enough of a request for the guard: its deps (for the client address) and no headers.
    const c = {
      get: (key: string) => key === "deps" ? { config } : undefined,
      req: { header: () => undefined },
    } as unknown as Ctx;
    const clock = { now: Date.UTC(2025, 0, 6) };
    let verified = 0;
    const guard = createLoginGuard(db.store.db, () => clock.now, {
      verify: (password, hash) => {
        verified++;
        return verifyPassword(password, hash);
      },
    });
    const agent = await createAgent(db.store, {
      email: "admin@example.test",
      name: "管理者",
      password: "correct horse battery",
      role: "admin",
    });
    const basic = (password: string) =>
      guard.signIn(c, "admin@example.test", password, { remember: true });

    assert.equal((await basic("correct horse battery")).kind, "ok");
    assert.equal((await basic("correct horse battery")).kind, "ok");
    assert.equal((await basic("correct horse battery")).kind, "ok");
    assert.equal(verified, 1, "verified once, then remembered");
    // A script's parallel calls with a remembered credential are not guesses: none is limited.
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => basic("correct horse battery")),
    );
    assert.deepEqual(new Set(burst.map((r) => r.kind)), new Set(["ok"]));
    assert.equal(verified, 1);
    assert.equal((await basic("wrong password")).kind, "wrong");
    assert.equal(verified, 2, "a different password is always checked");
    // The login form does not use the memory.
    await guard.signIn(c, "admin@example.test", "correct horse battery");
    assert.equal(verified, 3);

    clock.now += REMEMBER_BASIC_MS;
    assert.equal((await basic("correct horse battery")).kind, "ok");
    assert.equal(verified, 4, "forgotten after a minute");

    await changeAgentPassword(db.store, agent.id, "a brand new password");
    assert.equal((await basic("correct horse battery")).kind, "wrong");
    assert.equal(verified, 5, "a new stored hash is never answered from memory");
    assert.equal((await basic("a brand new password")).kind, "ok");
  } finally {
    await db.cleanup();
  }
});
