/** Texts of the reply guards (issue 10): stale sends, drafts, presence, live updates. */

export const ja = {
  "guard.stale.title": "送信を保留しました",
  "guard.stale.body":
    "返信を書き始めてから、新しいメッセージが {n} 件届きました (下に「新着」と表示)。内容を確認してから送信してください。",
  "guard.stale.sendAnyway": "このまま送信",
  "guard.stale.edit": "編集する",
  "guard.stale.discard": "破棄する",
  "guard.stale.new": "新着",
} as const;

export const en: Record<keyof typeof ja, string> = {
  "guard.stale.title": "Your reply was held",
  "guard.stale.body":
    "{n} new message(s) arrived since you started writing (marked “New” below). Read them before you send.",
  "guard.stale.sendAnyway": "Send anyway",
  "guard.stale.edit": "Edit",
  "guard.stale.discard": "Discard",
  "guard.stale.new": "New",
};
