import assert from "node:assert/strict";
import {
  fillSendTime,
  fillTemplate,
  unfilledVariables,
  unknownVariables,
} from "../../domain/template_vars.ts";

Deno.test("template vars: known values are filled, missing ones stay", () => {
  const body =
    "{{customer.name}} 様\nお問い合わせ番号 {{ ticket.number }} について、{{agent.name}} です。{{department.name}}";
  const text = fillTemplate(body, {
    "customer.name": "山田 太郎",
    "ticket.number": "1001",
    "agent.name": "佐藤",
    "department.name": "",
  });
  assert.equal(
    text,
    "山田 太郎 様\nお問い合わせ番号 1001 について、佐藤 です。{{department.name}}",
  );
  assert.deepEqual(unfilledVariables(text), ["department.name"]);
});

Deno.test("template vars: a value holding {{…}} is not filled again", () => {
  const text = fillTemplate("{{customer.name}} / {{ticket.number}}", {
    "customer.name": "{{ticket.number}}",
    "ticket.number": "7",
  });
  assert.equal(text, "{{ticket.number}} / 7");
});

Deno.test("template vars: unknown names block sending; the page link is filled at send", () => {
  assert.deepEqual(unfilledVariables("{{order.id}} {{customer_page_url}} {{order.id}}"), [
    "order.id",
  ]);
  assert.deepEqual(unknownVariables("{{customer.name}} {{custmer.name}}"), ["custmer.name"]);
  assert.equal(
    fillSendTime("見る: {{customer_page_url}}", "https://x/c/abc"),
    "見る: https://x/c/abc",
  );
  assert.deepEqual(unfilledVariables("no variables { here }"), []);
});
