import type { OnboardingState } from "../db/onboarding.ts";
import type { Translate } from "../domain/i18n/mod.ts";

export interface OnboardingProps {
  t: Translate;
  state: OnboardingState;
  /** Where mail must arrive: the support address and our SMTP listener. */
  address: string;
  smtpHost: string;
  smtpPort: number;
}

/** Whether anything is left to do (the list shows until everything is done or it is hidden). */
export function onboardingPending(state: OnboardingState): boolean {
  return !Object.values(state).every(Boolean);
}

/** The administrator's getting-started list: four steps, each ticked once done. */
export function Onboarding({ t, state, address, smtpHost, smtpPort }: OnboardingProps) {
  const steps = [
    {
      done: state.mailReceived,
      title: t("onboarding.mail"),
      how: t("onboarding.mail.how", { address, host: smtpHost, port: smtpPort }),
    },
    { done: state.colleagues, title: t("onboarding.colleagues"), href: "/admin/agents" },
    { done: state.businessHours, title: t("onboarding.hours"), href: "/admin/schedules" },
    {
      done: state.replySent,
      title: t("onboarding.test"),
      how: t("onboarding.test.how", { address }),
    },
  ];
  return (
    <section class="card onboarding" aria-labelledby="onboarding-title">
      <h2 id="onboarding-title">{t("onboarding.title")}</h2>
      <p class="muted">{t("onboarding.lead")}</p>
      <ol>
        {steps.map((s) => (
          <li class={s.done ? "done" : ""}>
            <span class="tick" aria-hidden="true">{s.done ? "✓" : ""}</span>
            <span>
              {s.href && !s.done ? <a href={s.href}>{s.title}</a> : <strong>{s.title}</strong>}
              {s.done && <span class="muted done-label">{t("onboarding.done")}</span>}
              {s.how && !s.done && <span class="muted small how">{s.how}</span>}
            </span>
          </li>
        ))}
      </ol>
      <form method="post" action="/onboarding/hide" class="inline">
        <button type="submit" class="link">{t("onboarding.hide")}</button>
      </form>
    </section>
  );
}
