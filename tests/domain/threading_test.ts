import assert from "node:assert/strict";
import {
  decideThread,
  findSubjectTag,
  replySubject,
  stripReplyPrefixes,
  threadingKeys,
  type ThreadingLookups,
} from "../../domain/threading.ts";

const TOKEN = "abcdefghijklmnopqrstuvwxyz"; // 26 base32 characters, like newReplyToken()
const OUR_ID = `${TOKEN}.0123456789abcdef@example.test`;

function lookups(over: Partial<ThreadingLookups> = {}): ThreadingLookups {
  return {
    isDuplicate: false,
    ticketByReplyToken: new Map(),
    ticketByMessageId: new Map(),
    subjectTagTicket: null,
    ...over,
  };
}

interface Case {
  name: string;
  msg: { inReplyTo: string[]; references: string[]; subject: string };
  recipients: string[];
  sender: string;
  lookups: ThreadingLookups;
  want: ReturnType<typeof decideThread>;
}

const cases: Case[] = [
  {
    name: "a Gmail reply with In-Reply-To and References to our reply joins by references",
    msg: {
      inReplyTo: ["other-id@example.test"],
      references: ["CAF=first@mail.gmail.com", "other-id@example.test"],
      subject: "Re: 見積もりのお願い [#1001]",
    },
    recipients: ["support@example.test"],
    sender: "taro@gmail.com",
    lookups: lookups({ ticketByMessageId: new Map([["other-id@example.test", 7]]) }),
    want: { kind: "join", ticketId: 7, via: "references" },
  },
  {
    name: "an Outlook reply that only References our Message-ID joins by its reply token",
    msg: { inReplyTo: [], references: [OUR_ID], subject: "RE: 見積もりのお願い" },
    recipients: ["support@example.test"],
    sender: "hanako@outlook.jp",
    lookups: lookups({ ticketByReplyToken: new Map([[TOKEN, 3]]) }),
    want: { kind: "join", ticketId: 3, via: "reply-token" },
  },
  {
    name: "a reply to the plus-address joins even when the relay rewrote our Message-ID (SES)",
    msg: {
      inReplyTo: ["0100018c-rewritten@email.amazonses.com"],
      references: [],
      subject: "Re: x",
    },
    recipients: [`support+t${TOKEN}@example.test`],
    sender: "taro@example.com",
    lookups: lookups({ ticketByReplyToken: new Map([[TOKEN, 9]]) }),
    want: { kind: "join", ticketId: 9, via: "reply-token" },
  },
  {
    name: "a Japanese carrier reply with no threading headers joins by the subject tag",
    msg: { inReplyTo: [], references: [], subject: "Re: 請求書 [#1042]" },
    recipients: ["support@example.test"],
    sender: "Taro@docomo.ne.jp",
    lookups: lookups({
      subjectTagTicket: { ticketId: 42, participants: new Set(["taro@docomo.ne.jp"]) },
    }),
    want: { kind: "join", ticketId: 42, via: "subject-tag" },
  },
  {
    name: "a stranger quoting a subject tag does not get into someone else's ticket",
    msg: { inReplyTo: [], references: [], subject: "Re: 請求書 [#1042]" },
    recipients: ["support@example.test"],
    sender: "mallory@evil.example",
    lookups: lookups({
      subjectTagTicket: { ticketId: 42, participants: new Set(["taro@docomo.ne.jp"]) },
    }),
    want: { kind: "new" },
  },
  {
    name: "a CC'd colleague's reply-all joins through any known Message-ID of the ticket",
    msg: { inReplyTo: ["customer-first@example.com"], references: [], subject: "Re: 相談" },
    recipients: ["support@example.test", "taro@example.com"],
    sender: "boss@example.com",
    lookups: lookups({ ticketByMessageId: new Map([["customer-first@example.com", 5]]) }),
    want: { kind: "join", ticketId: 5, via: "references" },
  },
  {
    name: "the same Message-ID delivered twice is a duplicate",
    msg: { inReplyTo: [], references: [], subject: "hello" },
    recipients: ["support@example.test"],
    sender: "taro@example.com",
    lookups: lookups({ isDuplicate: true }),
    want: { kind: "duplicate" },
  },
  {
    name: "a new subject from a known sender is a new ticket",
    msg: { inReplyTo: [], references: [], subject: "別件のご相談" },
    recipients: ["support@example.test"],
    sender: "taro@example.com",
    lookups: lookups(),
    want: { kind: "new" },
  },
  {
    name: "an iPhone reply whose In-Reply-To is unknown but References' root is known joins",
    msg: {
      inReplyTo: ["unknown@icloud.com"],
      references: ["root@example.com", "unknown@icloud.com"],
      subject: "Re: x",
    },
    recipients: ["support@example.test"],
    sender: "taro@icloud.com",
    lookups: lookups({ ticketByMessageId: new Map([["root@example.com", 11]]) }),
    want: { kind: "join", ticketId: 11, via: "references" },
  },
];

for (const c of cases) {
  Deno.test(`threading: ${c.name}`, () => {
    const keys = threadingKeys(c.msg, c.recipients, "#");
    assert.deepEqual(decideThread(keys, c.lookups, c.sender), c.want);
  });
}

Deno.test("threading: keys list In-Reply-To first, then References newest first, deduplicated", () => {
  const keys = threadingKeys(
    { inReplyTo: ["c@x"], references: ["a@x", "b@x", "c@x"], subject: "" },
    [],
    "#",
  );
  assert.deepEqual(keys.referencedIds, ["c@x", "b@x", "a@x"]);
});

Deno.test("threading: the subject tag is found with a configured prefix", () => {
  assert.equal(findSubjectTag("Re: 見積 [#1234]", "#"), 1234);
  assert.equal(findSubjectTag("Re: 見積 [Ticket#77]", "Ticket#"), 77);
  assert.equal(findSubjectTag("Re: 見積 #1234", "#"), null);
  assert.equal(findSubjectTag("[#12] and [#34]", "#"), 12);
});

Deno.test("threading: reply subjects keep one Re: and one tag however often they go round", () => {
  assert.equal(replySubject("見積もり", 1001, "#"), "Re: 見積もり [#1001]");
  assert.equal(replySubject("Re: RE: 見積もり [#1001]", 1001, "#"), "Re: 見積もり [#1001]");
  assert.equal(stripReplyPrefixes("Fwd: 返信: Re[2]: 件名"), "件名");
});
