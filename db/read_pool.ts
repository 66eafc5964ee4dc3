/**
 * Heavy reads off the main thread: a Kysely handle whose queries run on a small pool of Workers
 * (db/read_worker.ts), each with its own read-only connection to the database file.
 *
 * The embedded libSQL driver is synchronous underneath: a 100 ms search or report on the main
 * thread is 100 ms in which no page, login or SMTP answer moves. WAL lets other connections read
 * while the one writer (db/client.ts, on the main thread) writes, and a read that starts after a
 * commit sees it, so the pool needs no coordination with the writer. The main thread only builds
 * the SQL and receives the rows.
 *
 * Repositories take a `Db` and do not know which one they got: callers pass `store.reader` for
 * reads that can be slow (search, reports, CSV exports, the dashboard) and `store.db` for the
 * small indexed reads of a page, which cost less than a round trip to a worker. Workers start on
 * first use (each costs a few tens of MB), one more only while every running one is busy, up to
 * `size`, and stop after `idleMs` with nothing to do. The pool runs single statements only: no transactions, no writes (the connections are
 * `query_only`).
 */
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";
import type { Database } from "./schema.ts";
import type { PeriodReportInput } from "./period_report.ts";
import type { ReportSummary } from "../domain/report/summary.ts";

/** The first message a worker gets: what to open. */
export interface OpenMessage {
  kind: "open";
  url: string;
  busyTimeoutMs: number;
  /** The connection's page cache, in KiB. */
  cacheKiB: number;
}
/** One statement for a worker. */
export interface QueryMessage {
  kind: "query";
  id: number;
  sql: string;
  args: readonly unknown[];
}
/** A period's report for a worker to read and summarize whole (db/period_report.ts). */
export interface ReportMessage {
  kind: "report";
  id: number;
  input: PeriodReportInput;
}
export type ReadMessage = OpenMessage | QueryMessage | ReportMessage;
/** A worker's answer to one statement (rows) or one report. */
export type ReadAnswer =
  | { id: number; ok: true; rows: Record<string, unknown>[]; rowsAffected: number }
  | { id: number; ok: true; report: ReportSummary }
  | { id: number; ok: false; message: string; name: string; code?: string };

export interface ReadPoolOptions {
  /** At most this many workers (default 2). */
  size?: number;
  busyTimeoutMs?: number;
  /** Each worker connection's page cache (default 8 MiB). */
  cacheKiB?: number;
  /** A worker with nothing to do this long stops (default 30 s); the next read starts one. */
  idleMs?: number;
}

/** What the pool is doing, for /metrics and the benches. */
export interface ReadPoolStats {
  workers: number;
  /** Statements sent and not yet answered. */
  inFlight: number;
  /** Statements answered since the pool started. */
  done: number;
}

export interface ReadPool {
  db: Kysely<Database>;
  /**
   * A period's report computed on a worker, reads and summary both (db/period_report.ts): the
   * summary of a month of tickets is ~10 ms of CPU that would otherwise stall the main thread.
   */
  report(input: PeriodReportInput): Promise<ReportSummary>;
  stats(): ReadPoolStats;
  /** Stops the workers that have nothing in flight (what the idle timer does). */
  stopIdle(): void;
  /** Stops the workers; statements in flight fail. */
  close(): Promise<void>;
}

/** SQLite's adapter, but several statements may be in flight: each worker is a connection. */
class PoolAdapter extends SqliteAdapter {
  override get supportsMultipleConnections(): boolean {
    return true;
  }
}

interface Lane {
  worker: Worker;
  // deno-lint-ignore no-explicit-any
  pending: Map<number, { resolve(r: any): void; reject(e: Error): void }>;
  idle?: ReturnType<typeof setTimeout>;
}

/** Opens a read pool on a `file:` database URL (workers start on first use). */
export function createReadPool(url: string, options: ReadPoolOptions = {}): ReadPool {
  const size = Math.max(1, options.size ?? 2);
  const lanes: Lane[] = [];
  let nextId = 1;
  let done = 0;
  let closed = false;
  const idleMs = options.idleMs ?? 30_000;

  function stopLane(lane: Lane) {
    clearTimeout(lane.idle);
    lanes.splice(lanes.indexOf(lane), 1);
    lane.worker.terminate();
  }

  // Unreferenced: an idle timer never keeps the process alive.
  function armIdle(lane: Lane) {
    clearTimeout(lane.idle);
    const timer = setTimeout(() => {
      if (lane.pending.size === 0 && lanes.includes(lane)) stopLane(lane);
    }, idleMs);
    Deno.unrefTimer(timer);
    lane.idle = timer;
  }

  function startLane(): Lane {
    const worker = new Worker(new URL("./read_worker.ts", import.meta.url).href, {
      type: "module",
    });
    const lane: Lane = { worker, pending: new Map() };
    worker.onmessage = (e: MessageEvent<ReadAnswer>) => {
      const a = e.data;
      const p = lane.pending.get(a.id);
      if (!p) return;
      lane.pending.delete(a.id);
      done++;
      if (lane.pending.size === 0) armIdle(lane);
      if (a.ok && "report" in a) p.resolve(a.report);
      else if (a.ok) p.resolve({ rows: a.rows, numAffectedRows: BigInt(a.rowsAffected) });
      else p.reject(Object.assign(new Error(a.message), { name: a.name, code: a.code }));
    };
    worker.onerror = (e) => {
      e.preventDefault();
      // A crashed worker fails its statements and is replaced by the next one.
      for (const p of lane.pending.values()) {
        p.reject(new Error(`Read worker failed: ${e.message}`));
      }
      lane.pending.clear();
      stopLane(lane);
    };
    worker.postMessage(
      {
        kind: "open",
        url,
        busyTimeoutMs: options.busyTimeoutMs ?? 5_000,
        cacheKiB: options.cacheKiB ?? 8 * 1024,
      } satisfies OpenMessage,
    );
    lanes.push(lane);
    return lane;
  }

  /** Sends one message to the least busy worker (starting one while all are busy). */
  function send<T>(message: QueryMessage | ReportMessage): Promise<T> {
    if (closed) return Promise.reject(new Error("The read pool is closed"));
    let lane = lanes.reduce<Lane | undefined>(
      (best, l) => !best || l.pending.size < best.pending.size ? l : best,
      undefined,
    );
    if (!lane || (lane.pending.size > 0 && lanes.length < size)) lane = startLane();
    const target = lane;
    clearTimeout(target.idle);
    return new Promise((resolve, reject) => {
      target.pending.set(message.id, { resolve, reject });
      target.worker.postMessage(message);
    });
  }

  function run(query: CompiledQuery): Promise<QueryResult<unknown>> {
    return send({ kind: "query", id: nextId++, sql: query.sql, args: query.parameters });
  }

  const connection: DatabaseConnection = {
    executeQuery: <R>(query: CompiledQuery) => run(query) as Promise<QueryResult<R>>,
    streamQuery() {
      throw new Error("The read pool does not stream: page with keyset queries instead");
    },
  };
  const noTransactions = () =>
    Promise.reject(new Error("The read pool runs single statements, not transactions"));
  const driver: Driver = {
    init: () => Promise.resolve(),
    acquireConnection: () => Promise.resolve(connection),
    releaseConnection: () => Promise.resolve(),
    beginTransaction: noTransactions,
    commitTransaction: noTransactions,
    rollbackTransaction: noTransactions,
    destroy: () => Promise.resolve(),
  };
  const dialect: Dialect = {
    createAdapter: () => new PoolAdapter(),
    createDriver: () => driver,
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };

  return {
    db: new Kysely<Database>({ dialect }),
    report: (input) => send({ kind: "report", id: nextId++, input }),
    stats: () => ({
      workers: lanes.length,
      inFlight: lanes.reduce((n, l) => n + l.pending.size, 0),
      done,
    }),
    stopIdle() {
      for (const lane of [...lanes]) if (lane.pending.size === 0) stopLane(lane);
    },
    close() {
      closed = true;
      for (const lane of [...lanes]) {
        for (const p of lane.pending.values()) p.reject(new Error("The read pool is closed"));
        stopLane(lane);
      }
      return Promise.resolve();
    },
  };
}
