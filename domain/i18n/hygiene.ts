/** Texts of mail hygiene, part two: held replies in 迷惑メール, the IMAP settings page. */

export const ja = {
  "spam.heldReply": "次のチケットへの返信として届きました (元のチケットは再開していません):",
  "spam.notSpamHeldHint": "元のチケットのスレッドに移し、この送信元を今後は許可します。",
  "spam.heldReplies": "このチケットへの返信が迷惑メールとして保留されています:",
  "spam.movedTo": "このメールは迷惑メールではないとして、次のチケットのスレッドに移しました:",
  "import.quarantined": "隔離されたメール {n} 通",
  "import.quarantineResolved": "再処理済み",
};

export const en: Record<keyof typeof ja, string> = {
  "spam.heldReply": "Arrived as a reply to this ticket (which was not reopened):",
  "spam.notSpamHeldHint": "Moves it into that ticket's thread and allows this sender from now on.",
  "spam.heldReplies": "Replies to this ticket are held as spam:",
  "spam.movedTo": "Marked as not spam and moved into the thread of:",
  "import.quarantined": "{n} quarantined",
  "import.quarantineResolved": "reprocessed",
};
