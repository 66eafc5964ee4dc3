/**
 * A prepared-statement cache for the embedded libSQL driver.
 *
 * @libsql/client's embedded client calls `db.prepare(sql)` on its `libsql` connection for every
 * statement it runs — about a third of the database CPU of an inbound mail. The statements are
 * safe to reuse: the client runs each to completion (`all()` or `run()`) before the next, sets
 * the same modes on it every time (`safeIntegers`, `raw`). A schema change is the one hazard: a
 * prepared `select *` keeps the columns it had. So any CREATE/ALTER/DROP (or `exec` of a script)
 * through this process starts a new generation and older statements are prepared afresh; schema
 * changes by other processes are not expected (migrations run at start, in this process).
 * Instead of copying the client, we give each `libsql`
 * connection a small LRU of its prepared statements, keyed by SQL text, by wrapping the
 * package's own `Database.prototype.prepare` — the one method the client calls. Remote URLs never
 * reach this code.
 */
import Database from "libsql";

/** How many prepared statements each connection keeps. */
export const STATEMENT_CACHE_SIZE = 256;

const statements = Symbol("madoguchi.statements");
const DDL = /^\s*(create|alter|drop)\b/i;
let generation = 0;
const installed = Symbol("madoguchi.statementCache");

type Prepare = (this: Record<symbol, unknown>, sql: string, ...rest: unknown[]) => unknown;
type Exec = (this: Record<symbol, unknown>, sql: string) => unknown;
type Proto = Record<PropertyKey, unknown> & { prepare: Prepare; exec: Exec };
interface Statement {
  columns(): unknown;
  raw(on?: boolean): unknown;
  readonly reader: boolean;
}

interface Entry {
  stmt: unknown;
  generation: number;
}

/** Installs the cache on the `libsql` Database class (idempotent, process-wide). */
export function installStatementCache(size = STATEMENT_CACHE_SIZE): void {
  const proto = Database.prototype as unknown as Proto;
  if (proto[installed]) return;
  const prepare = proto.prepare;
  proto.prepare = function cachedPrepare(this: Record<symbol, unknown>, sql, ...rest) {
    // Internal callers pass extra arguments (e.g. pragma helpers): leave those alone.
    if (rest.length > 0) return prepare.call(this, sql, ...rest);
    if (DDL.test(sql)) {
      generation++;
      return prepare.call(this, sql);
    }
    let cache = this[statements] as Map<string, Entry> | undefined;
    if (!cache) this[statements] = cache = new Map();
    const hit = cache.get(sql);
    if (hit !== undefined) {
      // Re-insert: Map keeps insertion order, so the first key is the least recently used.
      cache.delete(sql);
      if (hit.generation === generation) {
        cache.set(sql, hit);
        return hit.stmt;
      }
    }
    const stmt = memoize(prepare.call(this, sql) as Statement);
    cache.set(sql, { stmt, generation });
    if (cache.size > size) cache.delete(cache.keys().next().value!);
    return stmt;
  };
  const exec = proto.exec;
  proto.exec = function execScript(this: Record<symbol, unknown>, sql: string) {
    generation++;
    return exec.call(this, sql);
  };
  proto[installed] = true;
}

/**
 * The client asks every statement, on every run, for its columns (twice) and switches it to raw
 * mode, which throws for a statement that returns no rows. Both answers are fixed for a prepared
 * statement of one schema generation, so remember them: the same values, the same control flow.
 */
function memoize(stmt: Statement): Statement {
  const columns = stmt.columns.bind(stmt);
  const raw = stmt.raw.bind(stmt);
  let cachedColumns: unknown;
  let notReader: unknown;
  stmt.columns = () => cachedColumns ??= columns();
  stmt.raw = (on?: boolean) => {
    if (notReader !== undefined && on !== false) throw notReader;
    try {
      return raw(on);
    } catch (e) {
      if (on !== false) notReader = e;
      throw e;
    }
  };
  return stmt;
}
