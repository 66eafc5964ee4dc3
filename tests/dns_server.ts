/**
 * A tiny DNS server over UDP on 127.0.0.1 for tests (node:dgram): answers TXT queries from a
 * zone the test can change, NXDOMAIN for names it does not know; or, `silent`, never answers (a
 * name server that is down). Enough for SPF and DMARC; it counts the queries it was asked.
 */
import dgram from "node:dgram";
import { Buffer } from "node:buffer";

export interface FakeDns {
  /** "127.0.0.1:<port>", as MADOGUCHI_DNS_RESOLVER or Resolver.setServers take it. */
  server: string;
  port: number;
  /** name → TXT strings; change it at will. */
  zone: Record<string, string>;
  /** The questions asked so far: "name TYPE". */
  asked: string[];
  close(): Promise<void>;
}

const TYPES: Record<number, string> = { 1: "A", 15: "MX", 16: "TXT", 28: "AAAA" };

export async function startFakeDns(
  zone: Record<string, string> = {},
  options: { silent?: boolean } = {},
): Promise<FakeDns> {
  const socket = dgram.createSocket("udp4");
  const asked: string[] = [];
  const state = { zone };
  socket.on("message", (query: Buffer, peer: dgram.RemoteInfo) => {
    let at = 12;
    const labels: string[] = [];
    while (query[at] !== 0) {
      labels.push(query.subarray(at + 1, at + 1 + query[at]).toString("latin1"));
      at += query[at] + 1;
    }
    at += 1;
    const qtype = query.readUInt16BE(at);
    at += 4;
    const name = labels.join(".").toLowerCase();
    asked.push(`${name} ${TYPES[qtype] ?? qtype}`);
    if (options.silent) return;
    const text = state.zone[name];
    const answers: Buffer[] = [];
    if (text !== undefined && qtype === 16) {
      const bytes = Buffer.from(text, "latin1");
      const strings: Buffer[] = [];
      for (let i = 0; i < bytes.length || i === 0; i += 255) {
        const part = bytes.subarray(i, i + 255);
        strings.push(Buffer.from([part.length]), part);
      }
      const rdata = Buffer.concat(strings);
      const rr = Buffer.alloc(12);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(16, 2);
      rr.writeUInt16BE(1, 4);
      rr.writeUInt32BE(60, 6);
      rr.writeUInt16BE(rdata.length, 10);
      answers.push(rr, rdata);
    }
    const head = Buffer.alloc(12);
    query.copy(head, 0, 0, 2);
    // QR, RD, RA; NXDOMAIN (3) for a name the zone does not have.
    head.writeUInt16BE(0x8180 | (text === undefined ? 3 : 0), 2);
    head.writeUInt16BE(1, 4);
    head.writeUInt16BE(answers.length / 2, 6);
    socket.send(
      Buffer.concat([head, query.subarray(12, at), ...answers]),
      peer.port,
      peer.address,
    );
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const port = (socket.address() as { port: number }).port;
  return {
    server: `127.0.0.1:${port}`,
    port,
    get zone() {
      return state.zone;
    },
    set zone(z) {
      state.zone = z;
    },
    asked,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** A UDP port on 127.0.0.1 nobody listens on (bound, then closed). */
export async function closedUdpPort(): Promise<number> {
  const socket = dgram.createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const port = (socket.address() as { port: number }).port;
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}
