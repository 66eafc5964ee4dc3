import assert from "node:assert/strict";
import { clientKey, parseIp, trustedProxies } from "../../domain/client_address.ts";

Deno.test("client address: IPv4, IPv6 and IPv4-mapped literals parse; others do not", () => {
  assert.deepEqual(parseIp("192.0.2.7"), { version: 4, bytes: [192, 0, 2, 7] });
  assert.deepEqual(parseIp("::ffff:192.0.2.7"), { version: 4, bytes: [192, 0, 2, 7] });
  assert.deepEqual(parseIp("2001:db8::1")?.version, 6);
  assert.deepEqual(parseIp("::1"), { version: 6, groups: [0, 0, 0, 0, 0, 0, 0, 1] });
  for (const bad of ["", "256.1.1.1", "1.2.3", "2001:db8::1::2", "example.com", "1:2:3:4:5:6:7"]) {
    assert.equal(parseIp(bad), undefined, bad);
  }
});

Deno.test("client address: without trusted proxies the socket peer is the client, X-Forwarded-For ignored", () => {
  const none = trustedProxies([]);
  assert.equal(clientKey("198.51.100.9", "203.0.113.5", none), "198.51.100.9");
  assert.equal(clientKey(undefined, "203.0.113.5", none), "unknown");
});

Deno.test("client address: behind a trusted proxy the right-most untrusted X-Forwarded-For hop is the client", () => {
  const proxies = trustedProxies(["10.0.0.1", "10.0.0.2"]);
  assert.equal(clientKey("10.0.0.1", "203.0.113.5", proxies), "203.0.113.5");
  // The client wrote the left part itself; our proxies appended the rest.
  assert.equal(
    clientKey("10.0.0.1", "1.1.1.1, 203.0.113.5, 10.0.0.2", proxies),
    "203.0.113.5",
  );
  assert.equal(
    clientKey("10.0.0.1", "[2001:db8::1]:443, 203.0.113.5:1234", proxies),
    "203.0.113.5",
  );
  assert.equal(clientKey("10.0.0.1", undefined, proxies), "10.0.0.1");
  assert.equal(clientKey("10.0.0.1", "203.0.113.5, garbage", proxies), "10.0.0.1");
  // A peer that is not a listed proxy cannot choose its address.
  assert.equal(clientKey("198.51.100.9", "203.0.113.5", proxies), "198.51.100.9");
});

Deno.test("client address: IPv6 clients are keyed by their /64", () => {
  const none = trustedProxies([]);
  const a = clientKey("2001:db8:1:2:aaaa::1", undefined, none);
  const b = clientKey("2001:db8:1:2:ffff:1:2:3", undefined, none);
  assert.equal(a, b);
  assert.equal(a, "2001:db8:1:2::/64");
  assert.notEqual(a, clientKey("2001:db8:1:3::1", undefined, none));
  assert.equal(clientKey("::ffff:192.0.2.7", undefined, none), "192.0.2.7");
});
