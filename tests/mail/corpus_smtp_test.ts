/**
 * Every message of ../shared/corpus through the real SMTP path into a real database file: each is
 * accepted (stored with its raw bytes) or refused with a precise code; nothing crashes; nothing
 * acknowledged is missing afterwards.
 */
import assert from "node:assert/strict";
// @ts-types="@types/nodemailer"
import nodemailer from "nodemailer";
import { Buffer } from "node:buffer";
import { startInboundSmtp } from "../../mail/smtp_server.ts";
import { deliverTo } from "../runtime.ts";
import { tempStore } from "../helpers.ts";

const corpusDir = new URL("../../../shared/corpus/", import.meta.url);
let index: string | null = null;
try {
  index = await Deno.readTextFile(new URL("index.tsv", corpusDir));
} catch {
  console.warn("corpus: ../shared/corpus/index.tsv not found; skipping the corpus SMTP test");
}

function exists(url: URL): boolean {
  try {
    return Deno.statSync(url).isFile;
  } catch {
    return false;
  }
}

Deno.test({
  name: "corpus: every real-world message is stored (raw kept) or refused with a clear code",
  ignore: index === null,
  async fn() {
    const listed = index!.split("\n").slice(1).map((l) => l.split("\t")[0]).filter(Boolean);
    const paths = listed.filter((p) => exists(new URL(p, corpusDir)));
    if (paths.length < listed.length) {
      console.warn(
        `corpus: ${listed.length - paths.length} listed files are absent; sent the rest`,
      );
    }
    const { store, cleanup } = await tempStore();
    const smtp = await startInboundSmtp(deliverTo(store), {
      host: "127.0.0.1",
      port: 0,
      mailDomains: ["example.test"],
      maxMessageBytes: 25 * 1024 * 1024,
      maxConnections: 20,
    });
    const transports = Array.from({ length: 4 }, () =>
      nodemailer.createTransport({
        host: "127.0.0.1",
        port: smtp.port,
        secure: false,
        ignoreTLS: true,
        pool: true,
        maxConnections: 1,
        maxMessages: Infinity,
      }));
    const outcomes = { created: 0, joined: 0, duplicate: 0, quarantined: 0 };
    const refused: string[] = [];
    try {
      let next = 0;
      await Promise.all(transports.map(async (transport) => {
        while (next < paths.length) {
          const path = paths[next++];
          const raw = await Deno.readFile(new URL(path, corpusDir));
          try {
            const info = await transport.sendMail({
              envelope: { from: "corpus@example.org", to: ["support@example.test"] },
              raw: Buffer.from(raw),
            });
            const kind = /duplicate/i.test(info.response)
              ? "duplicate"
              : /manual review/.test(info.response)
              ? "quarantined"
              : /ticket #/.test(info.response)
              ? "created"
              : null;
            assert.ok(kind, `${path}: unexpected response ${info.response}`);
            assert.match(info.response, /^250 /, path);
            outcomes[kind]++;
          } catch (err) {
            const e = err as { responseCode?: number; response?: string };
            // A refusal must be a precise SMTP code, never a dropped connection.
            assert.ok(e.responseCode && e.responseCode >= 400, `${path}: ${err}`);
            refused.push(`${path}: ${e.response}`);
          }
        }
      }));
      const count = async (table: "raw_messages" | "messages" | "quarantine") =>
        Number(
          (await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()).n,
        );
      const stored = outcomes.created + outcomes.quarantined;
      console.log(
        `corpus: ${paths.length} sent; ${outcomes.created} filed, ${outcomes.duplicate} duplicates, ` +
          `${outcomes.quarantined} quarantined, ${refused.length} refused`,
      );
      assert.equal(stored + outcomes.duplicate + refused.length, paths.length);
      assert.equal(
        await count("raw_messages"),
        stored,
        "every acknowledged message keeps its raw bytes",
      );
      assert.equal(await count("quarantine"), outcomes.quarantined);
      assert.equal(await count("messages"), outcomes.created, "every filed message is on a ticket");
      assert.deepEqual(refused, [], "no corpus message should be refused at these limits");
    } finally {
      for (const t of transports) t.close();
      await smtp.close();
      await cleanup();
    }
  },
});
