import assert from "node:assert/strict";
import { poorTextReason } from "../../domain/poor_text.ts";

const para = "いつもご利用いただきありがとうございます。ご注文の商品を本日発送いたしました。";

Deno.test("poor text: a stub or an empty text part beside real HTML is poor", () => {
  const html = `<div><p>${para}</p><p>到着まで今しばらくお待ちください。</p></div>`;
  assert.equal(poorTextReason("", html), "empty");
  assert.equal(poorTextReason("HTMLメールです", html), "empty");
  assert.notEqual(poorTextReason("This message is in HTML.", html), null);
});

Deno.test("poor text: a text part much shorter than the HTML is poor", () => {
  const html = `<p>${para}</p>`.repeat(4);
  assert.equal(poorTextReason(para, html), "short");
  assert.equal(poorTextReason(`${para}\n${para}\n${para}`, html), null);
});

Deno.test("poor text: links lost in the text part make it poor; kept links do not", () => {
  const html = `<p>${para}</p><p><a href="https://shop.example.com/orders/1">注文を確認</a>・` +
    `<a href="https://shop.example.com/track?id=2&amp;x=1">配送状況</a>・` +
    `<a href="https://shop.example.com/help">ヘルプ</a></p>`;
  const text = `${para}\n注文を確認・配送状況・ヘルプ`;
  assert.equal(poorTextReason(text, html), "links");
  const withLinks = `${para}\n注文を確認 https://shop.example.com/orders/1\n` +
    "配送状況 https://shop.example.com/track?id=2&x=1\nヘルプ shop.example.com/help";
  assert.equal(poorTextReason(withLinks, html), null);
});

Deno.test("poor text: a table squashed onto one line is poor; one row per line is fine", () => {
  const rows = [["商品", "数量", "金額"], ["りんご", "3", "600円"], ["みかん", "10", "1,200円"], [
    "合計",
    "",
    "1,800円",
  ]];
  const html = `<p>${para}</p><table>${
    rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("")
  }</table>`;
  const squashed = `${para}\n${rows.flat().join(" ")}`;
  assert.equal(poorTextReason(squashed, html), "table");
  const good = `${para}\n${rows.map((r) => r.join("\t")).join("\n")}`;
  assert.equal(poorTextReason(good, html), null);
});

Deno.test("poor text: a list run together is poor; one item per line is fine", () => {
  const items = ["再起動してください", "ケーブルを確認してください", "最新版に更新してください"];
  const html = `<p>${para}</p><ul>${items.map((i) => `<li>${i}</li>`).join("")}</ul>`;
  assert.equal(poorTextReason(`${para}\n${items.join(" ")}`, html), "list");
  assert.equal(poorTextReason(`${para}\n${items.map((i) => `- ${i}`).join("\n")}`, html), null);
  assert.equal(poorTextReason(`${para}\n${items.map((i) => `・${i}`).join("\n")}`, html), null);
});

Deno.test("poor text: ordinary mail (text equal to the HTML, or tiny HTML) keeps its text first", () => {
  const text = "山田様\n\nお世話になっております。\n見積書を添付いたします。\n\n佐藤";
  const html = "<div>山田様</div><div><br></div><div>お世話になっております。</div>" +
    "<div>見積書を添付いたします。</div><div><br></div><div>佐藤</div>";
  assert.equal(poorTextReason(text, html), null);
  assert.equal(poorTextReason("はい", "<p>はい</p>"), null);
  // Style and head contents are not visible text.
  const styled = `<head><style>${"p{color:red}".repeat(100)}</style></head><p>${text}</p>`;
  assert.equal(poorTextReason(text, styled), null);
});
