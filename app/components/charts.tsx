import type { ReactNode } from "react";

// Server-rendered SVG charts: no JavaScript, no library. Each chart is an image with a name and a
// description (role="img", <title> and <desc> via aria-labelledby), direct text labels on every
// mark (colour never carries meaning on its own), marks in --color-primary (8.4:1 on white) and a
// viewBox, so it scales down to a phone's width. Every chart has a real table as its alternative
// (DataTable). Texts arrive translated and numbers formatted: these components only draw.

const FONT = 15;
const SMALL = 13;
/** Charts wider than this (many columns) get a larger minimum width. */
const WIDE = 700;

interface ChartFrameProps {
  /** Unique on the page: the ids of the title and description derive from it. */
  id: string;
  title: string;
  desc: string;
  width: number;
  height: number;
  children: ReactNode;
}

/**
 * Drawn at its own size on a wide screen (never blown up), scaled down on a narrow one, but not
 * below a legible minimum width (CSS: .chart, .chart--wide): below that, its box scrolls
 * sideways. No inline style: the Content-Security-Policy forbids them.
 */
function ChartFrame({ id, title, desc, width, height, children }: ChartFrameProps) {
  return (
    <svg
      className={width > WIDE ? "chart chart--wide" : "chart"}
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      data-chart={id}
    >
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{desc}</desc>
      {children}
    </svg>
  );
}

const round = (value: number) => Math.round(value * 10) / 10;

export interface WeeklySeries {
  key: string;
  label: string;
  /** Shown after the label, e.g. "1 234 answers (23 %)". */
  summary: string;
  values: readonly number[];
  /** The label of one value (written above the series' highest bar). */
  format: (value: number) => string;
}

/**
 * Small multiples over weeks: one row of bars per series, each row named in full above its
 * bars, the highest bar labelled with its value; shared x axis with a date every few weeks.
 */
export function WeeklyMultiples({
  id,
  title,
  desc,
  weekLabels,
  series,
  max,
}: {
  id: string;
  title: string;
  desc: string;
  /** One short label per week ("1 Dec"), oldest first. */
  weekLabels: readonly string[];
  series: readonly WeeklySeries[];
  /** The value of a full-height bar: shared by every row, so rows compare. */
  max: number;
}) {
  const width = 640;
  const left = 4;
  const right = 4;
  const labelHeight = 22;
  const headroom = 16;
  const barsHeight = 44;
  const gap = 14;
  const rowHeight = labelHeight + headroom + barsHeight + gap;
  const axisHeight = 26;
  const height = series.length * rowHeight + axisHeight;
  const band = (width - left - right) / Math.max(1, weekLabels.length);
  const barWidth = Math.max(1, band * 0.72);
  const step = weekLabels.length <= 12 ? 2 : weekLabels.length <= 26 ? 4 : 8;
  const scale = max > 0 ? barsHeight / max : 0;
  return (
    <ChartFrame id={id} title={title} desc={desc} width={width} height={height}>
      {series.map((row, index) => {
        const top = index * rowHeight;
        const baseline = top + labelHeight + headroom + barsHeight;
        const peak = row.values.reduce(
          (best, value, at) => (value > (row.values[best] ?? 0) ? at : best),
          0,
        );
        const peakValue = row.values[peak] ?? 0;
        return (
          <g key={row.key}>
            <text x={left} y={top + FONT} className="chart__label" fontSize={FONT}>
              <tspan className="chart__strong">{row.label}</tspan>
              <tspan className="chart__muted"> — {row.summary}</tspan>
            </text>
            {row.values.map((value, at) =>
              value > 0 ? (
                <rect
                  key={at}
                  className="chart__bar"
                  x={round(left + at * band + (band - barWidth) / 2)}
                  y={round(baseline - Math.max(1, value * scale))}
                  width={round(barWidth)}
                  height={round(Math.max(1, value * scale))}
                />
              ) : null,
            )}
            {peakValue > 0 ? (
              <text
                x={round(left + peak * band + band / 2)}
                y={round(baseline - peakValue * scale - 4)}
                textAnchor={peak < 2 ? "start" : peak > row.values.length - 3 ? "end" : "middle"}
                className="chart__value"
                fontSize={SMALL}
              >
                {row.format(peakValue)}
              </text>
            ) : null}
            <line
              className="chart__axis"
              x1={left}
              x2={width - right}
              y1={baseline + 0.5}
              y2={baseline + 0.5}
            />
          </g>
        );
      })}
      {weekLabels.map((label, at) =>
        at % step === 0 ? (
          <g key={at}>
            <line
              className="chart__tick"
              x1={round(left + at * band + band / 2)}
              x2={round(left + at * band + band / 2)}
              y1={height - axisHeight}
              y2={height - axisHeight + 5}
            />
            <text
              x={round(left + at * band + band / 2)}
              y={height - 6}
              textAnchor={at === 0 ? "start" : "middle"}
              className="chart__muted"
              fontSize={SMALL}
            >
              {label}
            </text>
          </g>
        ) : null,
      )}
    </ChartFrame>
  );
}

export interface GridCell {
  /** 0 to 1: the length of the cell's bar. */
  share: number;
  label: string;
}

/**
 * A table-like chart: each cell shows its figure in text over a bar whose length is the
 * figure's share (e.g. the share of each exit reason among one product's answers). Column
 * headings are turned when the columns are many.
 */
export function BarGrid({
  id,
  title,
  desc,
  columns,
  rows,
  rowTotals,
  columnTotals,
  totalLabel,
}: {
  id: string;
  title: string;
  desc: string;
  columns: readonly { key: string; label: string }[];
  rows: readonly { key: string; label: string; cells: readonly GridCell[] }[];
  /** Texts in a last column (one per row), e.g. the answers of each region. */
  rowTotals?: readonly string[];
  /** Texts in a last row (one per column), e.g. the answers of each product. */
  columnTotals?: readonly string[];
  totalLabel: string;
}) {
  const turned = columns.length > 4;
  const labelWidth = 220;
  const columnWidth = turned ? 62 : 124;
  const totalWidth = rowTotals ? 84 : 0;
  const headerHeight = turned ? 150 : 30;
  const rowHeight = 36;
  // Turned headings reach past the last column: room for them on the right.
  const width = labelWidth + columns.length * columnWidth + totalWidth + (turned ? 70 : 8);
  const bodyRows = rows.length + (columnTotals ? 1 : 0);
  const height = headerHeight + bodyRows * rowHeight + 6;
  const barMax = columnWidth - 14;
  const columnX = (at: number) => labelWidth + at * columnWidth;
  return (
    <ChartFrame id={id} title={title} desc={desc} width={width} height={height}>
      {columns.map((column, at) =>
        turned ? (
          <text
            key={column.key}
            transform={`translate(${columnX(at) + 8} ${headerHeight - 8}) rotate(-45)`}
            className="chart__label"
            fontSize={SMALL}
          >
            {column.label}
          </text>
        ) : (
          <text
            key={column.key}
            x={columnX(at) + 4}
            y={headerHeight - 10}
            className="chart__strong"
            fontSize={SMALL}
          >
            {column.label}
          </text>
        ),
      )}
      {rowTotals ? (
        <text
          x={width - 4}
          y={headerHeight - 10}
          textAnchor="end"
          className="chart__strong"
          fontSize={SMALL}
        >
          {totalLabel}
        </text>
      ) : null}
      {rows.map((row, index) => {
        const top = headerHeight + index * rowHeight;
        return (
          <g key={row.key}>
            <line
              className="chart__rule"
              x1={0}
              x2={width}
              y1={top + rowHeight - 0.5}
              y2={top + rowHeight - 0.5}
            />
            <text x={0} y={top + 22} className="chart__label" fontSize={FONT}>
              {row.label}
            </text>
            {row.cells.map((cell, at) => (
              <g key={columns[at]?.key ?? at}>
                <text x={columnX(at) + 4} y={top + 17} className="chart__value" fontSize={SMALL}>
                  {cell.label}
                </text>
                {cell.share > 0 ? (
                  <rect
                    className="chart__bar"
                    x={columnX(at) + 4}
                    y={top + 22}
                    width={round(Math.max(2, cell.share * barMax))}
                    height={6}
                  />
                ) : null}
              </g>
            ))}
            {rowTotals ? (
              <text
                x={width - 4}
                y={top + 22}
                textAnchor="end"
                className="chart__muted"
                fontSize={SMALL}
              >
                {rowTotals[index]}
              </text>
            ) : null}
          </g>
        );
      })}
      {columnTotals ? (
        <g>
          <text
            x={0}
            y={headerHeight + rows.length * rowHeight + 22}
            className="chart__strong"
            fontSize={SMALL}
          >
            {totalLabel}
          </text>
          {columnTotals.map((total, at) => (
            <text
              key={columns[at]?.key ?? at}
              x={columnX(at) + 4}
              y={headerHeight + rows.length * rowHeight + 22}
              className="chart__muted"
              fontSize={SMALL}
            >
              {total}
            </text>
          ))}
        </g>
      ) : null}
    </ChartFrame>
  );
}

/** Horizontal bars, each named above its bar and labelled with its figure at the bar's end. */
export function HorizontalBars({
  id,
  title,
  desc,
  rows,
  max,
}: {
  id: string;
  title: string;
  desc: string;
  rows: readonly { key: string; label: string; value: number; valueLabel: string }[];
  /** The value of a full-length bar. */
  max: number;
}) {
  const width = 640;
  const labelHeight = 20;
  const barHeight = 20;
  const gap = 14;
  const rowHeight = labelHeight + barHeight + gap;
  const barMax = 400;
  const height = rows.length * rowHeight;
  return (
    <ChartFrame id={id} title={title} desc={desc} width={width} height={height}>
      {rows.map((row, index) => {
        const top = index * rowHeight;
        const length = max > 0 ? (Math.min(row.value, max) / max) * barMax : 0;
        return (
          <g key={row.key}>
            <text x={0} y={top + FONT} className="chart__label" fontSize={FONT}>
              {row.label}
            </text>
            <line
              className="chart__axis"
              x1={0.5}
              x2={0.5}
              y1={top + labelHeight}
              y2={top + labelHeight + barHeight}
            />
            {length > 0 ? (
              <rect
                className="chart__bar"
                x={1}
                y={top + labelHeight}
                width={round(Math.max(2, length))}
                height={barHeight}
              />
            ) : null}
            <text
              x={round(length + 8)}
              y={top + labelHeight + 15}
              className="chart__value"
              fontSize={SMALL}
            >
              {row.valueLabel}
            </text>
          </g>
        );
      })}
    </ChartFrame>
  );
}

/**
 * The chart's data as a real table: the first column names the row (th scope="row"), the
 * others are figures. It scrolls sideways in its own region on a narrow screen.
 */
export function DataTable({
  id,
  caption,
  head,
  rows,
}: {
  id: string;
  caption: string;
  head: readonly string[];
  rows: readonly { key: string; cells: readonly string[] }[];
}) {
  return (
    <div className="table-wrapper" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table className="table chart-table">
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            {head.map((cell, at) => (
              <th key={at} scope="col" className={at > 0 ? "numeric" : undefined}>
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, at) =>
                at === 0 ? (
                  <th key={at} scope="row">
                    {cell}
                  </th>
                ) : (
                  <td key={at} className="numeric">
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
