/**
 * A weekday × hour heat map in SVG with the counts printed in each cell (so it reads in grey
 * print and without colour vision), and the same numbers as a table.
 */
import type { ComponentChildren } from "preact";

export interface HeatMapProps {
  id: string;
  title: string;
  /** Row labels (weekdays), top to bottom. */
  rows: string[];
  /** [row][hour 0…23]. */
  values: number[][];
  hourLabel: string;
  tableCaption: string;
  /** The link of a cell's tickets (row index, hour), if the cells link. */
  href?: (row: number, hour: number) => string | undefined;
}

const CELL = 28;
const LEFT = 32;
const TOP = 18;

/** The shade step 0…5 of a value against the largest one. */
export function shade(value: number, max: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.ceil((value / max) * 5));
}

/** A cell's number, linked in the SVG when the cell has a link. */
function CellLink(p: { href?: string; children: ComponentChildren }) {
  return p.href ? <a href={p.href}>{p.children}</a> : <>{p.children}</>;
}

export function HeatMap(p: HeatMapProps) {
  const max = Math.max(0, ...p.values.flat());
  // Each cell's link once: the chart and its table both show it.
  const hrefs = p.values.map((row, r) => row.map((v, h) => v > 0 ? p.href?.(r, h) : undefined));
  const width = LEFT + CELL * 24;
  const height = TOP + CELL * p.rows.length;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${p.id}-title`}
        class="chart-svg heatmap"
      >
        <title id={`${p.id}-title`}>{p.title}</title>
        {Array.from({ length: 24 }, (_, h) =>
          h % 3 === 0 && (
            <text x={LEFT + h * CELL + CELL / 2} y={12} text-anchor="middle" class="chart-axis">
              {h}
            </text>
          ))}
        {p.rows.map((row, r) => (
          <g>
            <text
              x={LEFT - 6}
              y={TOP + r * CELL + CELL / 2 + 4}
              text-anchor="end"
              class="chart-axis"
            >
              {row}
            </text>
            {p.values[r].map((v, h) => (
              <g>
                <rect
                  x={LEFT + h * CELL}
                  y={TOP + r * CELL}
                  width={CELL - 2}
                  height={CELL - 2}
                  class={`heat-${shade(v, max)}`}
                >
                  <title>{`${row} ${h}:00 ${v}`}</title>
                </rect>
                {v > 0 && (
                  <CellLink href={hrefs[r][h]}>
                    <text
                      x={LEFT + h * CELL + (CELL - 2) / 2}
                      y={TOP + r * CELL + CELL / 2 + 3}
                      text-anchor="middle"
                      class={`heat-label${shade(v, max) >= 4 ? " on-dark" : ""}`}
                    >
                      {v}
                    </text>
                  </CellLink>
                )}
              </g>
            ))}
          </g>
        ))}
      </svg>
      <details class="chart-table">
        <summary>{p.tableCaption}</summary>
        <div class="table-scroll">
          <table class="numbers">
            <thead>
              <tr>
                <th scope="col">{p.hourLabel}</th>
                {Array.from({ length: 24 }, (_, h) => <th key={h} scope="col">{h}</th>)}
              </tr>
            </thead>
            <tbody>
              {p.rows.map((row, r) => (
                <tr>
                  <th scope="row">{row}</th>
                  {p.values[r].map((v, h) => {
                    const href = hrefs[r][h];
                    return <td key={h} class="num">{href ? <a href={href}>{v}</a> : v}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
