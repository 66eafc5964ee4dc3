/**
 * Reads that many requests repeat — the workspace's folder and view counts, departments, tags,
 * saved views and the list itself, ~40 % of an inbox page's CPU — kept for as long as the
 * database has not changed. Whether it changed is `PRAGMA data_version` on a connection that
 * never writes (db/embedded.ts `dataVersion`): it moves with every commit of any connection, this
 * process's writer or another process's (a second web process, the CLI), so a kept result is
 * never one commit behind. A key names everything else a result depends on (who asks, the
 * query, and for time-dependent reads the second: SLA states, presence). Without a version (a
 * remote or in-memory database) nothing is kept.
 */

/** Computes `compute()` for `key`, or answers what it answered while nothing was committed. */
export type ReadMemo = <T>(key: string, compute: () => Promise<T>) => Promise<T>;

/** Results kept at most (least recently used first out): a page view keeps one. */
export const MEMO_ENTRIES = 512;

interface Entry {
  version: number;
  value: Promise<unknown>;
}

/** A memo over `version` (null: the database cannot say, so nothing is kept). */
export function createReadMemo(version: (() => number) | null, max = MEMO_ENTRIES): ReadMemo {
  if (!version) return (_key, compute) => compute();
  const entries = new Map<string, Entry>();
  return <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    const now = version();
    const hit = entries.get(key);
    entries.delete(key);
    if (hit && hit.version === now) {
      entries.set(key, hit);
      return hit.value as Promise<T>;
    }
    // The version read before the reads: a commit during them makes the next call read again.
    const value = compute();
    const entry = { version: now, value };
    entries.set(key, entry);
    if (entries.size > max) entries.delete(entries.keys().next().value!);
    // A failure is not kept.
    value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return value;
  };
}
