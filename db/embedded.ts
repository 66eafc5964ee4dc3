/**
 * Kysely over the embedded libSQL engine (the `libsql` package) for `file:` databases, without
 * @libsql/client in between (issue 13).
 *
 * @libsql/client's embedded client is a thin layer on the same engine, but a costly one on a busy
 * page: it asks every statement for its columns twice, reads every integer as a BigInt and
 * converts it back, and builds each row with one `Object.defineProperty` per column — 20 µs for
 * `select 1` against 1.5 µs underneath, 0.66 ms for a 51-row inbox page against 0.16 ms. This
 * driver keeps the client's behaviour where the app can see it and does the rest directly:
 *
 * - a pool of connections like the client's: a statement borrows one for its synchronous run, a
 *   transaction (`BEGIN IMMEDIATE`, as the client's "write" mode) holds its own until it ends; a
 *   released connection still in a transaction is rolled back; an in-memory database has one
 *   connection (a second would be another, empty database). Kysely's SQLite adapter lets one
 *   connection work at a time, as it did over the client; the read pool (db/read_pool.ts) is
 *   where reads run beside the writer;
 * - each connection keeps its prepared statements (an LRU keyed by SQL text; any CREATE, ALTER or
 *   DROP prepares every statement afresh);
 * - rows are plain objects with the first column of a name winning (the client's rule, which
 *   matters for `select *` over a join); integers are numbers, blobs ArrayBuffers, as the client
 *   gives them in its default "number" mode; arguments are converted as the client converts them
 *   (booleans to 1/0, dates to milliseconds, `undefined` refused);
 * - engine errors become the client's `LibsqlError` (code, extendedCode, rawCode), so
 *   db/errors.ts and every message the app shows or logs read the same.
 *
 * Remote URLs (a libSQL server) still go through @libsql/client (db/client.ts).
 */
import Database from "libsql";
import { Buffer } from "node:buffer";
import { setImmediate } from "node:timers";
import { LibsqlError } from "@libsql/client";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";

/** Statements each connection keeps prepared. */
export const STATEMENTS_PER_CONNECTION = 256;
/** Connections a file database may have at once (the client's default `concurrency`). */
export const MAX_CONNECTIONS = 20;

const DDL = /^\s*(create|alter|drop)\b/i;
/** Bumped by any schema change through this process: older prepared statements are stale. */
let schemaGeneration = 0;

/**
 * Every multi-row statement leaves a small native row iterator (~0.8 KB) that libsql frees in a
 * finalizer, and finalizers run only when the event loop turns. A loop of statements that awaits
 * nothing but them (a scheduler tick of thousands of timers, a long import, an in-process bench)
 * never turns it: 100 000 statements held ~85 MB. So every STATEMENTS_PER_TURN statements the
 * next one waits for one turn (`setImmediate`, a few µs), which keeps that memory flat.
 */
const STATEMENTS_PER_TURN = 1000;
let statementsSinceTurn = 0;

interface LibsqlStatement {
  raw(on?: boolean): LibsqlStatement;
  columns(): { name: string }[];
  readonly reader: boolean;
  all(args: unknown[]): unknown[][];
  run(args: unknown[]): { changes: number; lastInsertRowid: number | bigint };
}
interface LibsqlDatabase {
  prepare(sql: string): LibsqlStatement;
  exec(sql: string): void;
  close(): void;
  readonly open: boolean;
  readonly inTransaction: boolean;
}

interface Prepared {
  stmt: LibsqlStatement;
  reader: boolean;
  columns: string[];
  /** Per column: the first one of its name (false for a later duplicate, which is skipped). */
  first: boolean[];
  generation: number;
}

/** The file path of a `file:` URL (`file:x.db`, `file:/abs/x.db`, `file:///abs/x.db`). */
export function filePath(url: string): string {
  let path = url.slice("file:".length).replace(/[?#].*$/, "");
  if (path.startsWith("//")) {
    const slash = path.indexOf("/", 2);
    const host = path.slice(2, slash < 0 ? undefined : slash);
    if (host !== "" && host.toLowerCase() !== "localhost") {
      throw new LibsqlError(`Invalid host in file URL: ${JSON.stringify(host)}`, "URL_INVALID");
    }
    path = slash < 0 ? "" : path.slice(slash);
  }
  return decodeURIComponent(path);
}

/** One connection and its statement cache. */
class Connection implements DatabaseConnection {
  readonly #db: LibsqlDatabase;
  readonly #statements = new Map<string, Prepared>();

  constructor(db: LibsqlDatabase) {
    this.#db = db;
  }

  get database(): LibsqlDatabase {
    return this.#db;
  }

  #prepare(sql: string): Prepared {
    const hit = this.#statements.get(sql);
    if (hit !== undefined) {
      // Map keeps insertion order: re-inserting makes the first key the least recently used.
      this.#statements.delete(sql);
      if (hit.generation === schemaGeneration) {
        this.#statements.set(sql, hit);
        return hit;
      }
    }
    if (DDL.test(sql)) schemaGeneration++;
    const stmt = this.#db.prepare(sql);
    const reader = stmt.reader;
    let columns: string[] = [];
    let first: boolean[] = [];
    if (reader) {
      stmt.raw(true);
      columns = stmt.columns().map((c) => c.name);
      const seen = new Set<string>();
      first = columns.map((name) => !seen.has(name) && seen.add(name) !== undefined);
    }
    const prepared = { stmt, reader, columns, first, generation: schemaGeneration };
    // A schema statement runs once: keeping it would only push a useful one out.
    if (!DDL.test(sql)) {
      this.#statements.set(sql, prepared);
      if (this.#statements.size > STATEMENTS_PER_CONNECTION) {
        this.#statements.delete(this.#statements.keys().next().value!);
      }
    }
    return prepared;
  }

  /** Runs one statement to completion (synchronously, as the engine does). */
  run(sql: string, parameters: readonly unknown[]): QueryResult<Record<string, unknown>> {
    try {
      const p = this.#prepare(sql);
      const args = parameters.map(toSql);
      if (!p.reader) {
        const info = p.stmt.run(args);
        return {
          numAffectedRows: BigInt(info.changes),
          insertId: BigInt(info.lastInsertRowid),
          rows: [],
        };
      }
      const raw = p.stmt.all(args);
      const rows = new Array<Record<string, unknown>>(raw.length);
      const { columns, first } = p;
      for (let i = 0; i < raw.length; i++) {
        const values = raw[i];
        const row: Record<string, unknown> = {};
        for (let j = 0; j < columns.length; j++) {
          if (!first[j]) continue;
          const v = values[j];
          row[columns[j]] = typeof v === "object" && v !== null ? fromBlob(v) : v;
        }
        rows[i] = row;
      }
      // As @libsql/client answers a statement that returns rows (`… returning` included).
      return { numAffectedRows: 0n, rows };
    } catch (e) {
      throw toLibsqlError(e);
    }
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if (++statementsSinceTurn >= STATEMENTS_PER_TURN) {
      statementsSinceTurn = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return this.run(compiled.sql, compiled.parameters) as QueryResult<R>;
  }

  // deno-lint-ignore require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("The embedded driver does not stream; page with keys instead");
  }

  close(): void {
    this.#statements.clear();
    try {
      if (this.#db.open) this.#db.close();
    } catch {
      // Nothing useful to do while tearing down.
    }
  }
}

function toSql(value: unknown): unknown {
  switch (typeof value) {
    case "number":
      if (!Number.isFinite(value)) {
        throw new RangeError(
          "Only finite numbers (not Infinity or NaN) can be passed as arguments",
        );
      }
      return value;
    case "boolean":
      return value ? 1 : 0;
    case "undefined":
      throw new TypeError("undefined cannot be passed as argument to the database");
    case "object":
      if (value instanceof Date) return value.valueOf();
      if (value instanceof ArrayBuffer) return Buffer.from(value);
      if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
        return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
      return value;
    default:
      return value;
  }
}

/** A blob as the client gives it: an ArrayBuffer of exactly its bytes. */
function fromBlob(v: object): unknown {
  if (!(v instanceof Uint8Array)) return v;
  const { buffer, byteOffset, byteLength } = v;
  return byteOffset === 0 && byteLength === buffer.byteLength
    ? buffer
    : buffer.slice(byteOffset, byteOffset + byteLength);
}

function toLibsqlError(e: unknown): unknown {
  if (e instanceof LibsqlError) return e;
  if (e instanceof Database.SqliteError) {
    const { code, rawCode } = e as unknown as { code: string; rawCode?: number };
    const base = rawCode === undefined ? "SQLITE_UNKNOWN" : baseCode(rawCode & 0xff) ?? code;
    return new LibsqlError(e.message, base, code, rawCode, e);
  }
  return e;
}

/** The primary result codes the app can meet, by number (extended codes keep it in the low byte). */
function baseCode(n: number): string | undefined {
  return ({
    1: "SQLITE_ERROR",
    5: "SQLITE_BUSY",
    6: "SQLITE_LOCKED",
    8: "SQLITE_READONLY",
    10: "SQLITE_IOERR",
    11: "SQLITE_CORRUPT",
    13: "SQLITE_FULL",
    14: "SQLITE_CANTOPEN",
    19: "SQLITE_CONSTRAINT",
    20: "SQLITE_MISMATCH",
  } as Record<number, string>)[n] ?? `SQLITE_${n}`;
}

export interface EmbeddedOptions {
  /** Busy timeout of every connection, ms. */
  timeout: number;
  /** Statements run on every new connection (per-connection PRAGMAs). */
  onOpen?: readonly string[];
}

/** The pool behind the dialect (see the module comment). */
export class EmbeddedPool {
  readonly #path: string;
  readonly #options: EmbeddedOptions;
  readonly #max: number;
  readonly #idle: Connection[] = [];
  readonly #borrowed = new Set<Connection>();
  readonly #inTransaction = new Set<Connection>();
  readonly #waiters: { resolve(c: Connection): void; reject(e: unknown): void; tx: boolean }[] = [];
  #closed = false;
  #watcher: Connection | undefined;

  constructor(url: string, options: EmbeddedOptions) {
    this.#path = filePath(url);
    this.#options = options;
    this.#max = /(^|:)memory:|mode=memory/.test(url) ? 1 : MAX_CONNECTIONS;
    // Fail at once when the file cannot be opened, as the client does.
    this.release(this.#open());
  }

  #open(): Connection {
    const db = new Database(this.#path, {
      timeout: this.#options.timeout,
    }) as unknown as LibsqlDatabase;
    const conn = new Connection(db);
    try {
      for (const sql of this.#options.onOpen ?? []) conn.run(sql, []);
    } catch (e) {
      conn.close();
      throw e;
    }
    return conn;
  }

  acquire(forTransaction = false): Promise<Connection> {
    if (this.#closed) {
      return Promise.reject(new LibsqlError("The client is closed", "CLIENT_CLOSED"));
    }
    const idle = this.#idle.pop();
    if (idle) return Promise.resolve(this.#lend(idle, forTransaction));
    if (this.#borrowed.size < this.#max) {
      try {
        return Promise.resolve(this.#lend(this.#open(), forTransaction));
      } catch (e) {
        return Promise.reject(toLibsqlError(e));
      }
    }
    if (this.#inTransaction.size >= this.#max) {
      // Only a commit or rollback can free one, and the caller has to make it: say so.
      return Promise.reject(
        new LibsqlError(
          this.#max === 1
            ? "This database has a single connection, which an open transaction is holding. " +
              "Commit or roll back the transaction before using the database again."
            : `All ${this.#max} connections are held by open transactions.`,
          "TRANSACTION_ACTIVE",
        ),
      );
    }
    return new Promise((resolve, reject) =>
      this.#waiters.push({ resolve, reject, tx: forTransaction })
    );
  }

  /**
   * `PRAGMA data_version` on a connection of its own that never writes: it changes with every
   * commit made by any other connection, this process's or another's (db/read_memo.ts). Null for
   * an in-memory database (one connection: its own commits would not show).
   */
  dataVersion(): number | null {
    if (this.#max === 1) return null;
    this.#watcher ??= this.#open();
    return this.#watcher.run("PRAGMA data_version", []).rows[0].data_version as number;
  }

  /** Marks a borrowed connection as a transaction's until it is released. */
  holdForTransaction(conn: Connection): void {
    if (this.#borrowed.has(conn)) this.#inTransaction.add(conn);
  }

  #lend(conn: Connection, forTransaction: boolean): Connection {
    this.#borrowed.add(conn);
    if (forTransaction) this.#inTransaction.add(conn);
    return conn;
  }

  release(conn: Connection): void {
    this.#borrowed.delete(conn);
    this.#inTransaction.delete(conn);
    if (this.#closed || !conn.database.open) return conn.close();
    try {
      // A transaction left open must not leak into the next borrower's statements.
      if (conn.database.inTransaction) conn.run("ROLLBACK", []);
    } catch {
      conn.close();
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter) waiter.resolve(this.#lend(conn, waiter.tx));
    else this.#idle.push(conn);
  }

  close(): void {
    this.#closed = true;
    for (const w of this.#waiters.splice(0)) {
      w.reject(new LibsqlError("The client is closed", "CLIENT_CLOSED"));
    }
    for (const c of this.#idle.splice(0)) c.close();
    for (const c of this.#borrowed) c.close();
    this.#watcher?.close();
    this.#watcher = undefined;
    this.#borrowed.clear();
    this.#inTransaction.clear();
  }
}

class EmbeddedDriver implements Driver {
  readonly #pool: EmbeddedPool;
  constructor(pool: EmbeddedPool) {
    this.#pool = pool;
  }
  async init(): Promise<void> {}
  acquireConnection(): Promise<DatabaseConnection> {
    return this.#pool.acquire();
  }
  beginTransaction(conn: DatabaseConnection): Promise<void> {
    const c = conn as Connection;
    try {
      c.run("BEGIN IMMEDIATE", []);
      // Held until the transaction ends: no other statement may wait for it.
      this.#pool.holdForTransaction(c);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  commitTransaction(conn: DatabaseConnection): Promise<void> {
    try {
      (conn as Connection).run("COMMIT", []);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    try {
      const c = conn as Connection;
      if (c.database.open && c.database.inTransaction) c.run("ROLLBACK", []);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  releaseConnection(conn: DatabaseConnection): Promise<void> {
    this.#pool.release(conn as Connection);
    return Promise.resolve();
  }
  destroy(): Promise<void> {
    this.#pool.close();
    return Promise.resolve();
  }
}

/** A Kysely dialect for an embedded `file:` database (see the module comment). */
export class EmbeddedDialect implements Dialect {
  readonly pool: EmbeddedPool;
  constructor(url: string, options: EmbeddedOptions) {
    this.pool = new EmbeddedPool(url, options);
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createDriver(): Driver {
    return new EmbeddedDriver(this.pool);
  }
  // deno-lint-ignore no-explicit-any
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
}
