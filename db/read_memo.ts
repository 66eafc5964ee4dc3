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

/** Results kept at most (least recently used first out). */
export const MEMO_ENTRIES = 256;
/** A result older than this is read again, and swept out: keys that name a second go stale. */
export const MEMO_MAX_AGE_MS = 5_000;

interface Entry {
  at: number;
  value: Promise<unknown>;
}

/** A memo over `version` (null: the database cannot say, so nothing is kept). */
export function createReadMemo(
  version: (() => number) | null,
  limits: { max?: number; maxAgeMs?: number; clock?: () => number } = {},
): ReadMemo {
  if (!version) return (_key, compute) => compute();
  const { max = MEMO_ENTRIES, maxAgeMs = MEMO_MAX_AGE_MS, clock = () => performance.now() } =
    limits;
  const entries = new Map<string, Entry>();
  let seen: number | undefined;
  return <T>(key: string, compute: () => Promise<T>): Promise<T> => {
    // Read before the reads: a commit during them makes the next call read again.
    const now = version();
    const at = clock();
    // A commit makes every kept result stale: drop them all at once.
    if (now !== seen) entries.clear();
    seen = now;
    const hit = entries.get(key);
    entries.delete(key);
    if (hit && at - hit.at < maxAgeMs) {
      entries.set(key, hit);
      return hit.value as Promise<T>;
    }
    const value = compute();
    const entry = { at, value };
    entries.set(key, entry);
    for (const [k, e] of entries) {
      if (entries.size <= max && at - e.at < maxAgeMs) break;
      entries.delete(k);
    }
    // A failure is not kept.
    value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return value;
  };
}
