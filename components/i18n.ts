/** The UI message catalog (Japanese first, English) and locale negotiation. */

export type Locale = "ja" | "en";

const ja = {
  "app.name": "窓口",
  "nav.inbox": "受信箱",
  "nav.quarantine": "隔離メール",
  "nav.tokens": "APIトークン",
  "nav.logout": "ログアウト",
  "status.new": "未対応",
  "status.open": "対応中",
  "status.pending": "保留",
  "status.resolved": "対応完了",
  "status.no_action": "対応不要",
  "status.all": "すべて",
  "inbox.empty": "このフォルダにチケットはありません",
  "inbox.newest": "新しい順",
  "inbox.oldest": "古い順",
  "inbox.search": "検索",
  "inbox.prev": "前へ",
  "inbox.next": "次へ",
  "inbox.subject": "件名",
  "inbox.customer": "お客様",
  "inbox.status": "状態",
  "inbox.elapsed": "経過",
  "inbox.updated": "最終更新",
  "ticket.reply": "返信",
  "ticket.send": "送信",
  "ticket.statusAfter": "送信後の状態",
  "ticket.changeStatus": "状態を変更",
  "ticket.save": "保存",
  "ticket.attachments": "添付ファイル",
  "ticket.from": "差出人",
  "ticket.to": "宛先",
  "ticket.showHtml": "HTML表示",
  "ticket.retry": "再送",
  "ticket.auto": "自動送信メール",
  "delivery.queued": "送信待ち",
  "delivery.sending": "送信中",
  "delivery.sent": "送信済み",
  "delivery.failed": "送信失敗",
  "delivery.held": "未送信: リレー未設定",
  "login.title": "ログイン",
  "login.email": "メールアドレス",
  "login.password": "パスワード",
  "login.submit": "ログイン",
  "login.failed": "メールアドレスまたはパスワードが正しくありません",
  "login.limited": "ログインの試行が多すぎます。しばらくしてから再度お試しください",
  "setup.title": "初期設定: 管理者の作成",
  "setup.name": "名前",
  "setup.submit": "管理者を作成",
  "setup.passwordShort": "パスワードは10文字以上にしてください",
  "setup.emailInvalid": "メールアドレスの形式が正しくありません",
  "setup.nameRequired": "名前を入力してください",
  "reply.empty": "返信本文を入力してください",
  "quarantine.title": "隔離メール",
  "quarantine.empty": "隔離メールはありません",
  "quarantine.reprocess": "再処理",
  "quarantine.download": "原文",
  "quarantine.reason": "理由",
  "tokens.title": "APIトークン",
  "tokens.name": "名前",
  "tokens.create": "作成",
  "tokens.created": "新しいトークン (この画面でしか表示されません):",
  "tokens.revoke": "無効化",
  "error.notFound": "ページが見つかりません",
  "error.server": "サーバーエラーが発生しました",
  "time.justNow": "たった今",
  "time.minutes": "{n}分",
  "time.hours": "{n}時間",
  "time.days": "{n}日",
};

type Key = keyof typeof ja;

const en: Record<Key, string> = {
  "app.name": "Madoguchi",
  "nav.inbox": "Inbox",
  "nav.quarantine": "Quarantine",
  "nav.tokens": "API tokens",
  "nav.logout": "Log out",
  "status.new": "New",
  "status.open": "Open",
  "status.pending": "Pending",
  "status.resolved": "Resolved",
  "status.no_action": "No action",
  "status.all": "All",
  "inbox.empty": "No tickets in this folder",
  "inbox.newest": "Newest first",
  "inbox.oldest": "Oldest first",
  "inbox.search": "Search",
  "inbox.prev": "Previous",
  "inbox.next": "Next",
  "inbox.subject": "Subject",
  "inbox.customer": "Customer",
  "inbox.status": "Status",
  "inbox.elapsed": "Age",
  "inbox.updated": "Last activity",
  "ticket.reply": "Reply",
  "ticket.send": "Send",
  "ticket.statusAfter": "Status after sending",
  "ticket.changeStatus": "Change status",
  "ticket.save": "Save",
  "ticket.attachments": "Attachments",
  "ticket.from": "From",
  "ticket.to": "To",
  "ticket.showHtml": "Show HTML",
  "ticket.retry": "Retry",
  "ticket.auto": "Automatic mail",
  "delivery.queued": "Queued",
  "delivery.sending": "Sending",
  "delivery.sent": "Sent",
  "delivery.failed": "Failed",
  "delivery.held": "Not delivered: no relay configured",
  "login.title": "Log in",
  "login.email": "E-mail",
  "login.password": "Password",
  "login.submit": "Log in",
  "login.failed": "Wrong e-mail or password",
  "login.limited": "Too many login attempts. Please try again later",
  "setup.title": "First-run setup: create the administrator",
  "setup.name": "Name",
  "setup.submit": "Create administrator",
  "setup.passwordShort": "Use at least 10 characters",
  "setup.emailInvalid": "This is not a valid e-mail address",
  "setup.nameRequired": "Enter a name",
  "reply.empty": "Write a reply first",
  "quarantine.title": "Quarantined mail",
  "quarantine.empty": "No quarantined mail",
  "quarantine.reprocess": "Reprocess",
  "quarantine.download": "Raw",
  "quarantine.reason": "Reason",
  "tokens.title": "API tokens",
  "tokens.name": "Name",
  "tokens.create": "Create",
  "tokens.created": "New token (shown only now):",
  "tokens.revoke": "Revoke",
  "error.notFound": "Page not found",
  "error.server": "Something went wrong on our side",
  "time.justNow": "just now",
  "time.minutes": "{n} min",
  "time.hours": "{n} h",
  "time.days": "{n} d",
};

const catalogs: Record<Locale, Record<Key, string>> = { ja, en };

export type Translate = (key: Key, vars?: Record<string, string | number>) => string;

/** A translator for a locale. */
export function translator(locale: Locale): Translate {
  const catalog = catalogs[locale];
  return (key, vars) => {
    let s = catalog[key] ?? ja[key] ?? key;
    for (const [k, v] of Object.entries(vars ?? {})) s = s.replaceAll(`{${k}}`, String(v));
    return s;
  };
}

/** Picks the locale from a user setting, then Accept-Language; Japanese by default. */
export function negotiateLocale(
  setting: string | null | undefined,
  acceptLanguage?: string,
): Locale {
  if (setting === "ja" || setting === "en") return setting;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0].trim().toLowerCase();
    if (tag.startsWith("ja")) return "ja";
    if (tag.startsWith("en")) return "en";
  }
  return "ja";
}

/** "3時間" / "3 h": how long ago an instant was, coarse. */
export function elapsed(t: Translate, from: number, now: number): string {
  const minutes = Math.floor((now - from) / 60_000);
  if (minutes < 1) return t("time.justNow");
  if (minutes < 60) return t("time.minutes", { n: minutes });
  if (minutes < 48 * 60) return t("time.hours", { n: Math.floor(minutes / 60) });
  return t("time.days", { n: Math.floor(minutes / 1440) });
}
