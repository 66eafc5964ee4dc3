/** Summary statistics of reports: quantiles and shares. Pure. */

/**
 * The p-quantile (0…1) of ascending `sorted` values, interpolated linearly between the two
 * nearest ranks (numpy's default; the median of an even count is the mean of the middle two);
 * null for no values.
 */
export function quantile(sorted: ArrayLike<number>, p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const rank = (n - 1) * Math.min(Math.max(p, 0), 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** Median and 90th percentile of durations in ms, as minutes rounded to one decimal. */
export function medianP90Minutes(
  durationsMs: number[],
): { median: number | null; p90: number | null } {
  const sorted = Float64Array.from(durationsMs).sort();
  const toMinutes = (v: number | null) => v === null ? null : Math.round(v / 6_000) / 10;
  return { median: toMinutes(quantile(sorted, 0.5)), p90: toMinutes(quantile(sorted, 0.9)) };
}

/** `part` of `whole` as a percentage with one decimal; null when `whole` is 0. */
export function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
