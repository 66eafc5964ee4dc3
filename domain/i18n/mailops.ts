/** Texts of mail hygiene: the spam folder, spam rules, built-in holidays, metrics. */

export const ja = {
  "status.spam": "迷惑メール",
  "portal.status.spam": "受付済み",
  "nav.spam": "迷惑メール対策",
  "admin.spam":
    "送信元の認証結果 (SPF・DKIM・DMARC) と、許可・拒否する送信元やキーワードのルールで迷惑メールを振り分けます",
  "spam.title": "迷惑メール対策",
  "spam.intro":
    "新しく届いたメールは、送信元の認証結果とここで決めたルールから点数を付け、{threshold} 点以上なら「迷惑メール」フォルダに入れます。削除はしません。自動返信も通知もしません。",
  "spam.rules": "ルール",
  "spam.noRules": "ルールはまだありません。",
  "spam.kind": "種類",
  "spam.pattern": "対象",
  "spam.kind.allow": "許可する送信元",
  "spam.kind.deny": "拒否する送信元",
  "spam.kind.keyword": "キーワード",
  "spam.points": "点数",
  "spam.add": "ルールを追加",
  "spam.remove": "削除",
  "spam.patternHint":
    "送信元はメールアドレス (taro@example.co.jp) かドメイン (example.co.jp、サブドメインも含む)。キーワードは件名と本文で探します",
  "spam.scoring": "点数の付け方",
  "spam.scoring.dmarc": "DMARC 不合格 (差出人のドメインを詐称)",
  "spam.scoring.dkim": "DKIM 署名の検証に失敗",
  "spam.scoring.spf": "SPF 不合格 (softfail は 1 点)",
  "spam.scoring.keyword": "キーワード 1 件ごと",
  "spam.scoring.deny": "拒否する送信元",
  "spam.scoring.allow": "許可する送信元 (迷惑メールにしない)",
  "spam.invalid":
    "送信元はメールアドレスかドメインで、キーワードは 200 文字までで入力してください。",
  "spam.notSpam": "迷惑メールではない",
  "spam.notSpamHint": "未対応に戻し、この送信元を今後は許可します。",
  "spam.markSpam": "迷惑メールにする",
  "spam.markSpamHint": "迷惑メールフォルダに移し、この送信元を今後は拒否します。",
  "spam.banner": "このメールは迷惑メールとして振り分けられました。",
  "spam.reasons": "理由",
};

export const en: Record<keyof typeof ja, string> = {
  "status.spam": "Spam",
  "portal.status.spam": "Received",
  "nav.spam": "Spam filter",
  "admin.spam":
    "Sort out spam by the sender's authentication (SPF, DKIM, DMARC) and rules allowing or denying senders and keywords",
  "spam.title": "Spam filter",
  "spam.intro":
    "Each new mail gets a score from its sender's authentication and the rules below; at {threshold} points or more it goes to the Spam folder. Nothing is deleted; spam gets no auto-reply and notifies nobody.",
  "spam.rules": "Rules",
  "spam.noRules": "No rules yet.",
  "spam.kind": "Kind",
  "spam.pattern": "Applies to",
  "spam.kind.allow": "Allowed sender",
  "spam.kind.deny": "Denied sender",
  "spam.kind.keyword": "Keyword",
  "spam.points": "Points",
  "spam.add": "Add rule",
  "spam.remove": "Remove",
  "spam.patternHint":
    "A sender is an address (taro@example.com) or a domain (example.com, subdomains included). Keywords are looked for in the subject and text",
  "spam.scoring": "How mail is scored",
  "spam.scoring.dmarc": "DMARC fails (the From domain is forged)",
  "spam.scoring.dkim": "A DKIM signature does not verify",
  "spam.scoring.spf": "SPF fails (softfail: 1 point)",
  "spam.scoring.keyword": "Each keyword found",
  "spam.scoring.deny": "Denied sender",
  "spam.scoring.allow": "Allowed sender (never spam)",
  "spam.invalid":
    "Enter an address or a domain for a sender, and at most 200 characters for a keyword.",
  "spam.notSpam": "Not spam",
  "spam.notSpamHint": "Moves it back to New and allows this sender from now on.",
  "spam.markSpam": "Mark as spam",
  "spam.markSpamHint": "Moves it to the Spam folder and denies this sender from now on.",
  "spam.banner": "This mail was sorted out as spam.",
  "spam.reasons": "Why",
};
