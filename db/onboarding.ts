/** What a new desk has done yet, for the administrator's getting-started list. Cheap checks. */
import type { Db } from "./client.ts";

export interface OnboardingState {
  /** Mail has reached us over SMTP (the MX or a forward points at Madoguchi). */
  mailReceived: boolean;
  /** Someone besides the first administrator has an account. */
  colleagues: boolean;
  /** A business-hours schedule exists. */
  businessHours: boolean;
  /** A reply has gone out through the relay. */
  replySent: boolean;
}

/** Each step as one indexed existence check. */
export async function onboardingState(db: Db): Promise<OnboardingState> {
  const [raw, agents, schedule, sent] = await Promise.all([
    db.selectFrom("raw_messages").select("id").limit(1).executeTakeFirst(),
    db.selectFrom("agents").select("id").orderBy("id").offset(1).limit(1).executeTakeFirst(),
    db.selectFrom("schedules").select("id").limit(1).executeTakeFirst(),
    db.selectFrom("outbox").select("id").where("status", "=", "sent").limit(1)
      .executeTakeFirst(),
  ]);
  return {
    mailReceived: raw !== undefined,
    colleagues: agents !== undefined,
    businessHours: schedule !== undefined,
    replySent: sent !== undefined,
  };
}
