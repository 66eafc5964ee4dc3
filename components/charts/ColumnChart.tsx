/**
 * A time series as grouped columns in SVG, drawn on the server: readable without JavaScript,
 * printable, described for screen readers (role="img" with a title), and followed by the same
 * numbers as a table. Empty days are drawn as zero, never left out.
 */

export interface ColumnSeries {
  name: string;
  /** A CSS class giving the colour (chart-a, chart-b). */
  className: string;
  values: number[];
  /** Where each value's tickets are listed (the table's cells link there). */
  hrefs?: (string | undefined)[];
}

export interface ColumnChartProps {
  id: string;
  title: string;
  labels: string[];
  series: ColumnSeries[];
  /** The header of the label column of the table. */
  labelHeader: string;
  tableCaption: string;
}

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { top: 12, right: 8, bottom: 28, left: 36 };

/** Round axis maximum: 1, 2, 5 × 10^n at or above `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

export function ColumnChart(p: ColumnChartProps) {
  const max = niceMax(Math.max(0, ...p.series.flatMap((s) => s.values)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(p.labels.length, 1);
  const bar = Math.max(1, (slot * 0.8) / p.series.length);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const every = Math.ceil(p.labels.length / 10);
  return (
    <figure class="chart with-table">
      <div class="chart-plot">
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          role="img"
          aria-labelledby={`${p.id}-title`}
          class="chart-svg"
        >
          <title id={`${p.id}-title`}>{p.title}</title>
          {[0, 0.5, 1].map((f) => (
            <g>
              <line
                x1={PAD.left}
                x2={WIDTH - PAD.right}
                y1={y(max * f)}
                y2={y(max * f)}
                class="chart-grid"
              />
              <text x={PAD.left - 4} y={y(max * f) + 4} text-anchor="end" class="chart-axis">
                {max * f}
              </text>
            </g>
          ))}
          {p.labels.map((label, i) => (
            <g>
              {p.series.map((s, j) => (
                <rect
                  x={PAD.left + i * slot + slot * 0.1 + j * bar}
                  y={y(s.values[i] ?? 0)}
                  width={bar}
                  height={Math.max(0, y(0) - y(s.values[i] ?? 0))}
                  class={s.className}
                >
                  <title>{`${label} ${s.name}: ${s.values[i] ?? 0}`}</title>
                </rect>
              ))}
              {i % every === 0 && (
                <text
                  x={PAD.left + i * slot + slot / 2}
                  y={HEIGHT - 10}
                  text-anchor="middle"
                  class="chart-axis"
                >
                  {label}
                </text>
              )}
            </g>
          ))}
        </svg>
        <figcaption class="chart-legend">
          {p.series.map((s) => <span key={s.name} class={`legend ${s.className}`}>{s.name}</span>)}
        </figcaption>
      </div>
      <details class="chart-table" open>
        <summary>{p.tableCaption}</summary>
        <table class="numbers">
          <thead>
            <tr>
              <th scope="col">{p.labelHeader}</th>
              {p.series.map((s) => <th key={s.name} scope="col">{s.name}</th>)}
            </tr>
          </thead>
          <tbody>
            {p.labels.map((label, i) => (
              <tr>
                <th scope="row">{label}</th>
                {p.series.map((s) => (
                  <td key={s.name} class="num">
                    {s.hrefs?.[i] ? <a href={s.hrefs[i]}>{s.values[i] ?? 0}</a> : s.values[i] ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
