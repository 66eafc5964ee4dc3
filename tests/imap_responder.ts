/** A fake IMAP server for tests (tests/loops/imapflow_session_test.ts, the IMAP settings). */
const enc = new TextEncoder();
const dec = new TextDecoder();

/**
 * A minimal IMAP responder on a local socket: LOGIN (refused unless `password` matches, when
 * given), SELECT, UID SEARCH, UID FETCH BODY[], UID STORE +FLAGS, IDLE with an EXISTS push,
 * LOGOUT. Enough of IMAP4rev1 for imapflow; not a real server.
 */
export function startResponder(
  messages: Map<number, string>,
  options: { password?: string } = {},
) {
  const log: string[] = [];
  const seen: number[] = [];
  const idlers = new Set<(line: string) => Promise<void>>();
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  let closed = false;
  (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      serve(conn).catch(() => {}).finally(() => conns.delete(conn));
    }
  })().catch(() => {});

  async function serve(conn: Deno.Conn) {
    const send = async (s: string | Uint8Array) => {
      const bytes = typeof s === "string" ? enc.encode(s) : s;
      for (let at = 0; at < bytes.length;) at += await conn.write(bytes.subarray(at));
    };
    await send("* OK [CAPABILITY IMAP4rev1 IDLE] fake ready\r\n");
    let buffer = "";
    let idleTag: string | null = null;
    const push = async (line: string) => void await send(line);
    const chunk = new Uint8Array(65536);
    while (true) {
      const n = await conn.read(chunk);
      if (n === null) break;
      buffer += dec.decode(chunk.subarray(0, n));
      let nl;
      while ((nl = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        log.push(line);
        if (Deno.env.get("IMAP_DEBUG")) console.error(Date.now() % 100000, line);
        if (idleTag !== null) {
          if (line.toUpperCase() === "DONE") {
            idlers.delete(push);
            await send(`${idleTag} OK IDLE done\r\n`);
            idleTag = null;
          }
          continue;
        }
        const [tag, ...rest] = line.split(" ");
        let command = rest[0]?.toUpperCase() ?? "";
        let args = rest.slice(1);
        if (command === "UID") {
          command = `UID ${args[0].toUpperCase()}`;
          args = args.slice(1);
        }
        const uids = () => [...messages.keys()].sort((a, b) => a - b);
        switch (command) {
          case "CAPABILITY":
            await send(`* CAPABILITY IMAP4rev1 IDLE\r\n${tag} OK done\r\n`);
            break;
          case "LOGIN": {
            const given = args.slice(1).join(" ").replace(/^"(.*)"$/, "$1");
            if (options.password !== undefined && given !== options.password) {
              await send(`${tag} NO [AUTHENTICATIONFAILED] Invalid credentials\r\n`);
              break;
            }
            await send(`${tag} OK [CAPABILITY IMAP4rev1 IDLE] logged in\r\n`);
            break;
          }
          case "SELECT":
          case "EXAMINE": {
            const next = Math.max(0, ...uids()) + 1;
            await send(
              `* FLAGS (\\Seen)\r\n* ${messages.size} EXISTS\r\n* OK [UIDVALIDITY 7] v\r\n` +
                `* OK [UIDNEXT ${next}] n\r\n${tag} OK [READ-WRITE] selected\r\n`,
            );
            break;
          }
          case "UID SEARCH": {
            const range = args.join(" ").match(/(\d+):\*/);
            const from = range ? Number(range[1]) : 1;
            const all = uids();
            const found = all.filter((u) => u >= from);
            if (found.length === 0 && all.length) found.push(all[all.length - 1]);
            await send(`* SEARCH ${found.join(" ")}\r\n${tag} OK search\r\n`);
            break;
          }
          case "UID FETCH": {
            const uid = Number(args[0]);
            const body = messages.get(uid);
            if (body !== undefined) {
              const seq = uids().indexOf(uid) + 1;
              const bytes = enc.encode(body);
              await send(`* ${seq} FETCH (UID ${uid} BODY[] {${bytes.length}}\r\n`);
              await send(bytes);
              await send(")\r\n");
            }
            await send(`${tag} OK fetch\r\n`);
            break;
          }
          case "UID STORE":
            seen.push(Number(args[0]));
            await send(`${tag} OK store\r\n`);
            break;
          case "IDLE":
            idleTag = tag;
            idlers.add(push);
            await send("+ idling\r\n");
            break;
          case "LOGOUT":
            await send(`* BYE bye\r\n${tag} OK logout\r\n`);
            conn.close();
            return;
          default:
            await send(`${tag} OK ${command}\r\n`);
        }
      }
    }
  }
  return {
    port: (listener.addr as Deno.NetAddr).port,
    log,
    seen,
    /** Adds a message and tells idling clients (* n EXISTS). */
    async deliver(uid: number, raw: string) {
      messages.set(uid, raw);
      for (const push of idlers) await push(`* ${messages.size} EXISTS\r\n`);
    },
    close() {
      if (closed) return;
      closed = true;
      listener.close();
      for (const c of conns) c.close();
    },
  };
}
