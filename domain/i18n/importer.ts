/** Texts of importing old mail (/admin/import). */

export const ja = {
  "nav.import": "メール取り込み",
  "admin.import": "mbox (Gmail のエクスポート)・Maildir・.eml フォルダから過去のメールを取り込む",
  "import.title": "メール取り込み",
  "import.intro":
    "以前の受信箱のメールをチケットとして取り込みます。返信は元のチケットにまとまり、同じメールは二重に登録されません。取り込んだメールには自動返信も通知も送りません。途中で止まっても、もう一度開始すれば続きから取り込みます。",
  "import.upload": "ファイルをアップロード",
  "import.uploadHint":
    "mbox ファイル (Google Takeout の .mbox など) または .eml ファイル。{size} まで",
  "import.path": "サーバー上のパス",
  "import.pathHint":
    "大きなファイル、Maildir や .eml のフォルダはサーバーに置いてパスを指定してください",
  "import.to": "宛先アドレス (任意)",
  "import.toHint": "空欄なら各メールの Delivered-To・To から読み取ります",
  "import.start": "取り込み開始",
  "import.jobs": "取り込み履歴",
  "import.empty": "まだ取り込みはありません。",
  "import.source": "取り込み元",
  "import.progress": "進み具合",
  "import.counts": "結果",
  "import.counts.text":
    "新規 {created}・返信 {joined}・重複 {duplicates}・隔離 {quarantined}・スキップ {skipped}",
  "import.messages": "{n} 通",
  "import.errors": "エラー {n} 件",
  "import.status.pending": "一時停止",
  "import.status.running": "取り込み中",
  "import.status.interrupted": "中断",
  "import.status.done": "完了",
  "import.status.failed": "失敗",
  "import.resume": "再開",
  "import.stop": "停止",
  "import.refresh": "最新の状態を表示",
  "import.error.noSource": "ファイルを選ぶか、サーバー上のパスを入力してください。",
  "import.error.tooLarge": "ファイルが大きすぎます。サーバーに置いてパスを指定してください。",
  "import.error.upload": "アップロードを読み取れませんでした。",
};

export const en: Record<keyof typeof ja, string> = {
  "nav.import": "Import mail",
  "admin.import":
    "Bring in old mail from an mbox (a Gmail export), a Maildir or a folder of .eml files",
  "import.title": "Import mail",
  "import.intro":
    "Files the mail of your previous inbox as tickets. Replies join their tickets, and the same mail is never filed twice. Imported mail gets no auto-reply and notifies nobody. If an import stops, start it again and it continues where it stopped.",
  "import.upload": "Upload a file",
  "import.uploadHint":
    "An mbox file (such as a Google Takeout .mbox) or an .eml file, up to {size}",
  "import.path": "Path on the server",
  "import.pathHint":
    "For big files, a Maildir or a folder of .eml files: put them on the server and give the path",
  "import.to": "Recipient address (optional)",
  "import.toHint": "Leave empty to read Delivered-To and To of each message",
  "import.start": "Start import",
  "import.jobs": "Imports",
  "import.empty": "Nothing has been imported yet.",
  "import.source": "Source",
  "import.progress": "Progress",
  "import.counts": "Result",
  "import.counts.text":
    "{created} new, {joined} replies, {duplicates} duplicates, {quarantined} quarantined, {skipped} skipped",
  "import.messages": "{n} messages",
  "import.errors": "{n} errors",
  "import.status.pending": "Paused",
  "import.status.running": "Importing",
  "import.status.interrupted": "Interrupted",
  "import.status.done": "Done",
  "import.status.failed": "Failed",
  "import.resume": "Resume",
  "import.stop": "Stop",
  "import.refresh": "Show the latest state",
  "import.error.noSource": "Choose a file or enter a path on the server.",
  "import.error.tooLarge": "The file is too large. Put it on the server and give the path.",
  "import.error.upload": "The upload could not be read.",
};
