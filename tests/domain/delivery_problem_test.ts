import assert from "node:assert/strict";
import { deliveryProblem, refusalCode } from "../../domain/delivery_problem.ts";

Deno.test("delivery problem: raw relay errors become kinds an agent can read", () => {
  assert.equal(deliveryProblem(null), null);
  assert.equal(deliveryProblem("connect ECONNREFUSED 127.0.0.1:12632"), "unreachable");
  assert.equal(deliveryProblem("getaddrinfo ENOTFOUND relay.example.com"), "unreachable");
  assert.equal(deliveryProblem("Connection timeout"), "timeout");
  assert.equal(deliveryProblem("Invalid login: 535 5.7.8 Authentication failed"), "auth");
  assert.equal(deliveryProblem("self-signed certificate in certificate chain"), "tls");
  assert.equal(
    deliveryProblem("550 5.1.1 <taro@example.com>: Recipient address rejected"),
    "refused",
  );
  assert.equal(deliveryProblem("bounced: 5.1.1 taro@example.com user unknown"), "bounced");
  assert.equal(deliveryProblem('invalid recipient address: ["a@x, b@y"]'), "bad_address");
  assert.equal(deliveryProblem("not sent: the address bounced (5.1.1)"), "suppressed");
  assert.equal(deliveryProblem("something odd"), "other");
});

Deno.test("delivery problem: the refusal code is quoted when there is one", () => {
  assert.equal(refusalCode("550 5.1.1 <taro@example.com>: Recipient address rejected"), "5.1.1");
  assert.equal(refusalCode("554 Message rejected"), "554");
  assert.equal(refusalCode("connect ECONNREFUSED 127.0.0.1:25"), null);
});
