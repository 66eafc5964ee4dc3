/**
 * Labelled horizontal bars: a table whose last column draws each value as an SVG bar, so the
 * numbers and the chart are one thing (readable without JavaScript, printable, and a screen reader
 * reads the table).
 */
import type { ComponentChildren } from "preact";

export interface BarListRow {
  label: ComponentChildren;
  value: number;
  /** Shown instead of the value (a duration, a percentage). */
  display?: ComponentChildren;
  href?: string;
  /** Further cells between the label and the bar. */
  cells?: ComponentChildren[];
}

export interface BarListProps {
  caption: string;
  headers: string[];
  rows: BarListRow[];
  empty: string;
}

export function BarList(p: BarListProps) {
  if (p.rows.length === 0) return <p class="empty">{p.empty}</p>;
  const max = Math.max(1, ...p.rows.map((r) => r.value));
  return (
    <table class="bar-list numbers">
      <caption>{p.caption}</caption>
      <thead>
        <tr>{p.headers.map((h, i) => <th key={i} scope="col">{h}</th>)}</tr>
      </thead>
      <tbody>
        {p.rows.map((r) => (
          <tr>
            <th scope="row">{r.href ? <a href={r.href}>{r.label}</a> : r.label}</th>
            {(r.cells ?? []).map((c, i) => <td key={i} class="num">{c}</td>)}
            <td class="num">{r.display ?? r.value}</td>
            <td class="bar-cell" aria-hidden="true">
              <svg viewBox="0 0 100 10" preserveAspectRatio="none" class="bar-svg">
                <rect x="0" y="1" width={(r.value / max) * 100} height="8" class="chart-a" />
              </svg>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
