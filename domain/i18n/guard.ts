/** Texts of the reply guards (issue 10): stale sends, drafts, presence, live updates. */

export const ja = {
  "guard.stale.title": "送信を保留しました",
  "guard.stale.body":
    "返信を書き始めてから、新しいメッセージが {n} 件届きました (「新着」の印のもの)。内容を確認してから送信してください。",
  "guard.stale.sendAnyway": "このまま送信",
  "guard.stale.edit": "編集する",
  "guard.stale.discard": "破棄する",
  "guard.stale.new": "新着",
  "guard.presence.viewing": "{names}が表示中",
  "guard.person": "{name}さん",
  "guard.separator": "、",
  "guard.presence.writing": "{name}さんが返信を作成中です",
  "guard.drafts": "下書きあり ({names})",
  "guard.live.changed": "このチケットが更新されました。",
  "guard.live.reload": "最新の内容を表示",
  "guard.inbox.changed": "受信箱が更新されました。",
  "guard.lock.takeOver": "引き継ぐ",
  "guard.lock.confirm": "{name}さんが返信を作成中です。引き継いで、あなたが返信しますか？",
  "guard.lock.title": "{name}さんが返信を作成中です",
  "guard.lock.body":
    "二重に返信しないよう、送信を保留しました。引き継ぐと {name}さんに通知されます。",
  "guard.lock.sendTakingOver": "引き継いで送信",
  "guard.draft.saved": "下書きを保存しました",
  "guard.draft.save": "下書き保存",
  "guard.draft.discard": "下書きを破棄",
  "guard.notice.takenOver": "#{number} の返信を {by}さんが引き継ぎました",
} as const;

export const en: Record<keyof typeof ja, string> = {
  "guard.stale.title": "Your reply was held",
  "guard.stale.body":
    "{n} new message(s) arrived since you started writing (marked “New” above). Read them before you send.",
  "guard.stale.sendAnyway": "Send anyway",
  "guard.stale.edit": "Edit",
  "guard.stale.discard": "Discard",
  "guard.stale.new": "New",
  "guard.presence.viewing": "Viewing: {names}",
  "guard.person": "{name}",
  "guard.separator": ", ",
  "guard.presence.writing": "{name} is writing a reply",
  "guard.drafts": "Draft by {names}",
  "guard.live.changed": "This ticket has changed.",
  "guard.live.reload": "Show the latest",
  "guard.inbox.changed": "The inbox has changed.",
  "guard.lock.takeOver": "Take over",
  "guard.lock.confirm": "{name} is writing a reply. Take it over and reply yourself?",
  "guard.lock.title": "{name} is writing a reply",
  "guard.lock.body":
    "Your reply was held so the customer does not get two answers. Taking over tells {name}.",
  "guard.lock.sendTakingOver": "Take over and send",
  "guard.draft.saved": "Draft saved",
  "guard.draft.save": "Save draft",
  "guard.draft.discard": "Discard draft",
  "guard.notice.takenOver": "#{number}: {by} took over your reply",
};
