import assert from "node:assert/strict";
import { type Escalation, escalationMailText } from "../../mail/escalation_mail.ts";

const ESCALATION: Escalation = {
  ticket: { id: 7, number: 1001, subject: "請求書の再発行 {metric}" },
  metric: "first_response",
  level: "warning",
  dueAt: Date.UTC(2026, 6, 7, 2, 0), // 11:00 in Tokyo
  departmentName: "サポート",
  priority: "normal",
};
const WHERE = { zone: "Asia/Tokyo", publicUrl: "https://desk.example" };

Deno.test("escalation mail: a warning in Japanese names the ticket, metric, due time and where it is", () => {
  const mail = escalationMailText(ESCALATION, { lang: "ja", ...WHERE });
  assert.equal(mail.subject, "SLA警告 #1001: 初回応答 — 請求書の再発行 {metric}");
  assert.equal(
    mail.text,
    [
      "チケット #1001「請求書の再発行 {metric}」の初回応答期限が近づいています。",
      "",
      "期限: 2026/07/07 11:00 (Asia/Tokyo)",
      "部署: サポート / 優先度: 通常",
      "",
      "https://desk.example/tickets/1001",
    ].join("\n"),
  );
});

Deno.test("escalation mail: a breach in English reads as a sentence, priority in lower case", () => {
  const mail = escalationMailText(
    { ...ESCALATION, level: "breach", metric: "resolution", priority: "urgent" },
    { lang: "en", ...WHERE },
  );
  assert.equal(mail.subject, "SLA breached #1001: resolution — 請求書の再発行 {metric}");
  assert.equal(
    mail.text,
    [
      'Ticket #1001 "請求書の再発行 {metric}": the resolution is overdue.',
      "",
      "Due: 7 Jul 2026, 11:00 (Asia/Tokyo)",
      "Department: サポート / Priority: urgent",
      "",
      "https://desk.example/tickets/1001",
    ].join("\n"),
  );
});
