import assert from "node:assert/strict";
import { parseMessage } from "../../mail/parse.ts";
import type { InboundMessage } from "../../domain/inbound_message.ts";

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

// The shared corpus sits next to the repository (/work/main/../shared/corpus), not inside it.
const CORPUS = new URL("../../../shared/corpus/", import.meta.url);
const INDEX = new URL("index.tsv", CORPUS);
const present = exists(INDEX);
const SKIP = present ? "" : ` (skipped: no corpus at ${CORPUS.pathname})`;
if (!present) console.warn(`parse_corpus_test: ${CORPUS.pathname}index.tsv not found, skipping`);

/** Files that may throw; each entry says why. Empty: every corpus message parses today. */
const EXPECTED_THROWS = new Set<string>([]);
/** Sources whose own header bytes are U+FFFD (already-mangled UTF-8), not our decoding. */
const SOURCE_HAS_FFFD = new Set([
  "mikel-mail/spec/fixtures/emails/error_emails/must_supply_encoding.eml",
]);

interface Outcome {
  path: string;
  tags: string[];
  message?: InboundMessage;
  error?: unknown;
}

function exists(url: URL): boolean {
  try {
    Deno.statSync(url);
    return true;
  } catch {
    return false;
  }
}

let corpus: Promise<{ outcomes: Outcome[]; missing: string[] }> | undefined;

/** Parses every indexed file once (each file is one message, mbox files included). */
function parsedCorpus(): Promise<{ outcomes: Outcome[]; missing: string[] }> {
  corpus ??= (async () => {
    const rows = Deno.readTextFileSync(INDEX).trim().split("\n").slice(1).map((line) =>
      line.split("\t")
    );
    const files: { path: string; tags: string[]; raw: Uint8Array }[] = [];
    const missing: string[] = [];
    for (const [path, , tags = ""] of rows) {
      try {
        files.push({ path, tags: tags.split(","), raw: Deno.readFileSync(new URL(path, CORPUS)) });
      } catch {
        missing.push(path);
      }
    }
    const outcomes: Outcome[] = [];
    const started = performance.now();
    for (const { path, tags, raw } of files) {
      try {
        outcomes.push({ path, tags, message: await parseMessage(raw) });
      } catch (error) {
        outcomes.push({ path, tags, error });
      }
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `parsed ${files.length} corpus files in ${seconds.toFixed(2)} s ` +
        `(${Math.round(files.length / seconds)} msg/s, single pass, cold)`,
    );
    if (missing.length > 0) console.warn(`listed in index.tsv but absent: ${missing.join(", ")}`);
    return { outcomes, missing };
  })();
  return corpus;
}

async function messageOf(path: string): Promise<InboundMessage> {
  const outcome = (await parsedCorpus()).outcomes.find((o) => o.path === path);
  assert.ok(outcome?.message, `${path} did not parse`);
  return outcome.message;
}

Deno.test({
  name: `corpus: every indexed message parses, or throws only a clear Error${SKIP}`,
  ignore: !present,
  async fn() {
    const { outcomes } = await parsedCorpus();
    assert.ok(outcomes.length > 1000, `only ${outcomes.length} corpus files found`);
    const thrown = outcomes.filter((o) => o.error !== undefined);
    for (const { path, error } of thrown) {
      assert.ok(error instanceof Error, `${path} threw a non-Error`);
      assert.match(error.message, /^Cannot parse message: /, path);
    }
    assert.deepEqual(thrown.map((o) => o.path).filter((p) => !EXPECTED_THROWS.has(p)), []);
  },
});

Deno.test({
  name: `corpus: no NUL or control characters in subjects, no NUL in text${SKIP}`,
  ignore: !present,
  async fn() {
    for (const { path, message } of (await parsedCorpus()).outcomes) {
      if (!message) continue;
      assert.doesNotMatch(message.subject, CONTROL, path);
      assert.ok(!message.text.includes("\0"), path);
      for (const name of [message.from, ...message.to, ...message.cc].map((a) => a?.name ?? "")) {
        assert.doesNotMatch(name, CONTROL, path);
      }
    }
  },
});

Deno.test({
  name: `corpus: raw 8-bit headers (Big5, GB2312, Latin-1) decode without U+FFFD${SKIP}`,
  ignore: !present,
  async fn() {
    for (const { path, message } of (await parsedCorpus()).outcomes) {
      if (!message || SOURCE_HAS_FFFD.has(path)) continue;
      assert.ok(!message.subject.includes("\ufffd"), `${path}: ${message.subject}`);
      assert.ok(!(message.from?.name ?? "").includes("\ufffd"), `${path}: ${message.from?.name}`);
    }
    assert.equal(
      (await messageOf("spamassassin/t/data/nice/cjk/gb2312.1")).subject,
      "全新原装进口，送货上门，货到付款－台湾鑫龙商贸集团公司向您拜年!",
    );
    assert.equal(
      (await messageOf("spamassassin/t/data/nice/cjk/gb2312.1")).from?.name,
      "台湾鑫龙商贸集团公司",
    );
    assert.match(
      (await messageOf("spamassassin/t/data/nice/cjk/big5-base64.1")).subject,
      /^\[SLAT-talk\] 鉅靡6月17日新片又到\.如有重複寄發\.敬請原諒!/,
    );
    assert.equal(
      (await messageOf(
        "mikel-mail/spec/fixtures/emails/error_emails/invalid_subject_characters.eml",
      ))
        .subject,
      "Formação FrenetikPolis: Mega Campanha Final Verão | Cursos de Setembro",
    );
  },
});

Deno.test({
  name: `corpus: Japanese samples decode to the expected subjects and text${SKIP}`,
  ignore: !present,
  async fn() {
    const expected: [string, string][] = [
      // ISO-2022-JP encoded words folded across lines after plain text.
      ["mikel-mail/spec/fixtures/emails/rfc2822/example14.eml", "Re: TEST テストテスト"],
      // Encoded words mixed with plain text; the body's delivery-status part holds raw JIS.
      [
        "sisimai/maildir/bsd/lhost-domino-02.eml",
        "DELIVERY FAILURE: ユーザー Neko (kijitora@example.co.jp) は Domino ディレクトリには見つかりません。",
      ],
      // A NUL byte encoded inside the subject.
      ["sisimai/maildir/err/make-test-31.eml", "メール送信エラー (Error message)"],
      [
        "sisimai/maildir/bsd/lhost-exchange2007-04.eml",
        "Undeliverable: キジトラ・フラッシュ/ニャーン",
      ],
      // CR-only line endings with a raw UTF-8 subject.
      ["sisimai/maildir/mac/lhost-kddi-01.eml", "メールエラー通知"],
    ];
    for (const [path, subject] of expected) {
      assert.equal((await messageOf(path)).subject, subject, path);
    }
    const domino = await messageOf("sisimai/maildir/bsd/lhost-domino-02.eml");
    assert.match(
      domino.text,
      /Diagnostic-Code: X-Notes; ユーザーNeko \(kijitora@example\.co\.jp\) は Domino/,
    );
    // au (KDDI) bounces carry 8-bit EUC-JP under an ISO-2022-JP label.
    assert.match(
      (await messageOf("sisimai/maildir/bsd/lhost-ezweb-02.eml")).text,
      /送信先メールアドレスが見つかりませんでした/,
    );
    assert.match(
      (await messageOf("spamassassin/t/data/nice/cjk/iso-2022-jp.2")).text,
      /心当たりがあります/,
    );
    const sjis = await messageOf(
      "mikel-mail/spec/fixtures/emails/multi_charset/japanese_shift_jis.eml",
    );
    assert.equal(
      sjis.text,
      "あいうえお\n\nこのメールはテスト用のメールです。\n\n今後ともよろしくお願い申し上げます！\n",
    );
  },
});

Deno.test({
  name: `corpus: CRLF and CR-only copies of the sisimai set parse like the LF originals${SKIP}`,
  ignore: !present,
  async fn() {
    const byPath = new Map((await parsedCorpus()).outcomes.map((o) => [o.path, o.message]));
    let pairs = 0;
    for (const [path, message] of byPath) {
      const original = /^sisimai\/maildir\/(?:dos|mac)\/(.+)$/.exec(path);
      const lf = original ? byPath.get(`sisimai/maildir/bsd/${original[1]}`) : undefined;
      if (!message || !lf) continue;
      pairs++;
      const key = (
        m: InboundMessage,
      ) => [m.subject, m.messageId, m.from, m.date, m.autoKind, m.references];
      assert.deepEqual(key(message), key(lf), path);
      assert.equal(
        message.text.replace(/\s+/g, " ").trim(),
        lf.text.replace(/\s+/g, " ").trim(),
        path,
      );
    }
    assert.ok(pairs > 100, `only ${pairs} dos/mac pairs`);
  },
});

Deno.test({
  name: `corpus: sisimai MTA bounces are classified as bounces${SKIP}`,
  ignore: !present,
  async fn() {
    const bounces = (await parsedCorpus()).outcomes.filter((o) =>
      /^sisimai\/maildir\/bsd\/(?:lhost|rhost)-/.test(o.path) && o.message
    );
    const missed = bounces.filter((o) => o.message?.autoKind !== "bounce").map((o) => o.path);
    const share = 1 - missed.length / bounces.length;
    // The rest are MTAs that send a plain message from an ordinary sender (dragonfly, fml lists).
    assert.ok(
      share > 0.9,
      `only ${(share * 100).toFixed(1)}% classified; missed: ${missed.join(" ")}`,
    );
    const autoReplies = (await parsedCorpus()).outcomes.filter((o) =>
      /^sisimai\/maildir\/bsd\/rfc3834-/.test(o.path)
    );
    for (const { path, message } of autoReplies) assert.notEqual(message?.autoKind, "none", path);
  },
});
