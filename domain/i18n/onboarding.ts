/** The administrator's getting-started list on the inbox (components/Onboarding.tsx). */
export const ja = {
  "onboarding.title": "はじめに",
  "onboarding.lead": "次の4つが済むと、チームで問い合わせを受けられます。",
  "onboarding.mail": "問い合わせメールをこのサーバーに届ける",
  "onboarding.mail.how":
    "{address} 宛てのメールを SMTP {host}:{port} に届くよう、MX レコードか転送を設定してください。",
  "onboarding.colleagues": "同僚を招待する",
  "onboarding.hours": "営業時間を設定する",
  "onboarding.test": "テストメールを送って返信する",
  "onboarding.test.how": "自分のアドレスから {address} に送り、届いたチケットに返信してください。",
  "onboarding.done": "完了",
  "onboarding.hide": "この案内を閉じる",
};

export const en: Record<keyof typeof ja, string> = {
  "onboarding.title": "Getting started",
  "onboarding.lead": "Once these four are done, your team can take inquiries.",
  "onboarding.mail": "Get inquiry mail to this server",
  "onboarding.mail.how": "Point an MX record or a forward for {address} at SMTP {host}:{port}.",
  "onboarding.colleagues": "Invite your colleagues",
  "onboarding.hours": "Set your business hours",
  "onboarding.test": "Send a test mail and answer it",
  "onboarding.test.how": "Write to {address} from your own address, then reply to the ticket.",
  "onboarding.done": "Done",
  "onboarding.hide": "Hide this list",
};
