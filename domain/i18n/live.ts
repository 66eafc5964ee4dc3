/** Texts of issue 10's second part: the approval policy page, approval history, live timeline. */

export const ja = {
  "approvalAdmin.title": "返信の承認",
  "approvalAdmin.about":
    "新しい担当者の最初の返信、部署、担当者ごとに、送信前に承認が必要な返信を決めます",
  "approvalAdmin.intro":
    "ここで決めた返信は、メールで送られる代わりに「承認待ち」に入り、スーパーバイザーか管理者が承認すると送信されます。管理者とスーパーバイザーの返信は承認なしで送信されます。",
  "approvalAdmin.firstReplies": "新しい担当者の最初の返信",
  "approvalAdmin.firstRepliesHelp":
    "送信した返信がこの件数に満たない担当者の返信は、承認待ちになります。0 にすると使いません。",
  "approvalAdmin.replies": "件",
  "approvalAdmin.departments": "部署ごと",
  "approvalAdmin.department": "部署",
  "approvalAdmin.deptAll": "すべての返信に承認が必要",
  "approvalAdmin.deptFirst": "最初の返信の件数",
  "approvalAdmin.deptFirstHelp":
    "「常に承認」にした部署・担当者の返信は、すべて承認待ちになります。「最初の件数」が空欄の部署は、上の件数に従います。",
  "approvalAdmin.always": "常に承認",
  "approvalAdmin.firstShort": "最初の件数",
  "approvalAdmin.agents": "担当者ごと",
  "approvalAdmin.agentsHelp": "「送信済み」は、その担当者がこれまでに送信した返信の件数です。",
  "approvalAdmin.agent": "担当者",
  "approvalAdmin.agentAll": "すべての返信に承認が必要",
  "approvalAdmin.sent": "送信済み",
  "approvalAdmin.approver": "承認者 (承認なしで送信)",
  "approvalAdmin.save": "保存する",
  "approvalAdmin.deptHint":
    "部署ごとに返信の承認を求める設定 (常に承認、新しい担当者の最初の件数):",
  "approvalAdmin.saved": "承認の設定を保存しました。",
  "approvalAdmin.badNumber": "0 から 1000 までの整数を入力してください。",
  "approval.reason.firstReplies": "新しい担当者 (最初の {n} 件)",
  "approval.event.requested": "返信を承認待ちにしました (理由: {reasons})",
  "approval.event.approved": "返信を承認し、送信しました",
  "approval.event.approvedEdited": "返信を編集して承認し、送信しました",
  "approval.event.returned": "返信を差戻しました: {comment}",
  "live.delay.countdown": "送信まで {n}秒",
  "live.delay.at": "{time} に送信されます。",
  "live.newMessage": "新しいメッセージ",
} as const;

export const en: Record<keyof typeof ja, string> = {
  "approvalAdmin.title": "Reply approval",
  "approvalAdmin.about":
    "Which replies wait for approval before they are sent: a new agent's first replies, by department, by agent",
  "approvalAdmin.intro":
    "A reply these settings catch goes to “Awaiting approval” instead of out by mail, and is sent once a supervisor or an admin approves it. Replies of admins and supervisors are always sent.",
  "approvalAdmin.firstReplies": "A new agent's first replies",
  "approvalAdmin.firstRepliesHelp":
    "An agent who has sent fewer replies than this needs approval for each reply. 0 turns it off.",
  "approvalAdmin.replies": "replies",
  "approvalAdmin.departments": "By department",
  "approvalAdmin.department": "Department",
  "approvalAdmin.deptAll": "Every reply needs approval",
  "approvalAdmin.deptFirst": "First replies",
  "approvalAdmin.deptFirstHelp":
    "“Always” holds every reply of that department or agent. A department whose “First replies” is blank follows the number above.",
  "approvalAdmin.always": "Always",
  "approvalAdmin.firstShort": "First replies",
  "approvalAdmin.agents": "By agent",
  "approvalAdmin.agentsHelp": "“Sent” counts the replies the agent has sent so far.",
  "approvalAdmin.agent": "Agent",
  "approvalAdmin.agentAll": "Every reply needs approval",
  "approvalAdmin.sent": "Sent",
  "approvalAdmin.approver": "Approver (sends without approval)",
  "approvalAdmin.save": "Save",
  "approvalAdmin.deptHint":
    "Whether a department's replies need approval (always, or a new agent's first ones):",
  "approvalAdmin.saved": "Approval settings saved.",
  "approvalAdmin.badNumber": "Enter a whole number from 0 to 1000.",
  "approval.reason.firstReplies": "new agent (first {n} replies)",
  "approval.event.requested": "held a reply for approval (why: {reasons})",
  "approval.event.approved": "approved a reply; it was sent",
  "approval.event.approvedEdited": "edited and approved a reply; it was sent",
  "approval.event.returned": "returned a reply: {comment}",
  "live.delay.countdown": "Sending in {n} s",
  "live.delay.at": "It will be sent at {time}.",
  "live.newMessage": "New message",
};
