/**
 * Who Madoguchi is on outbound mail — built once from the configuration and handed to everything
 * that composes mail (replies, reminders, confirmations, after-hours replies, escalation notices).
 */
import type { Config } from "../config.ts";
import type { OutboundCharset } from "./compose.ts";
import type { AutoMailCaps } from "../domain/auto_mail_cap.ts";

export interface Sender {
  /** The address replies come from; Reply-To is its plus-address with the ticket's token. */
  supportAddress: string;
  /** Display name on outbound mail. */
  fromName: string;
  /** The subject tag's prefix: `#` gives `[#1001]`. */
  subjectTagPrefix: string;
  /** The domains we receive mail for: never auto-reply to them. */
  mailDomains: string[];
  /** Without a relay, mail is kept in the outbox as not delivered. */
  relayConfigured: boolean;
  /** Base of links in mail (customer pages, deep links for agents). */
  publicUrl: string;
  /** Charset of outbound mail. */
  outboundCharset: OutboundCharset;
  /** The zone dates are written in when the reader chose none. */
  timeZone: string;
  /** Caps on automatic mail strangers can trigger; the defaults when absent. */
  autoMailCaps?: AutoMailCaps;
}

/** The sender identity of a configuration. */
export function senderFromConfig(config: Config): Sender {
  return {
    supportAddress: config.supportAddress,
    fromName: config.fromName,
    subjectTagPrefix: config.subjectTagPrefix,
    mailDomains: config.mailDomains,
    relayConfigured: config.smtpRelayUrl !== null,
    publicUrl: config.publicUrl,
    outboundCharset: config.outboundCharset,
    timeZone: config.timeZone,
    autoMailCaps: config.autoMailCaps,
  };
}
