/**
 * The instants of one heat map cell — a local weekday and hour in the team's zone — within a
 * range, as half-open [from, to) intervals, so the inbox can list a cell's tickets with range
 * seeks on the created index. Local hours are judged as weekdayHour judges them (the heat map's
 * own function), a quarter hour at a time (every zone offset changes on a quarter hour), so a DST
 * gap gives no interval and a repeated hour gives two. Pure.
 */
import { weekdayHour } from "./period.ts";

const QUARTER_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** At most this many days are walked (a report period is at most 366). */
export const MAX_CELL_DAYS = 400;

export function heatCellRanges(
  range: { fromMs: number; toMs: number },
  cell: { weekday: number; hour: number },
  timeZone: string,
): [number, number][] {
  const result: [number, number][] = [];
  const end = Math.min(range.toMs, range.fromMs + MAX_CELL_DAYS * DAY_MS);
  // Quarter-hour steps aligned to UTC quarters (offsets are whole quarters).
  let ms = Math.floor(range.fromMs / QUARTER_MS) * QUARTER_MS;
  while (ms < end) {
    const { weekday, hour } = weekdayHour(ms, timeZone);
    if (weekday !== cell.weekday) {
      // A wrong weekday lasts until local midnight: skip ahead, stopping two hours short of it
      // (a DST change shortens a day by at most an hour).
      ms += Math.max(QUARTER_MS, (22 - hour) * 4 * QUARTER_MS);
      continue;
    }
    const stepEnd = ms + QUARTER_MS;
    if (hour === cell.hour) {
      const from = Math.max(ms, range.fromMs);
      const to = Math.min(stepEnd, end);
      const last = result[result.length - 1];
      if (last && last[1] === from) last[1] = to;
      else if (from < to) result.push([from, to]);
    }
    ms = stepEnd;
  }
  return result;
}
