import { useId, type ReactNode } from 'react'

/**
 * The parts every chart is drawn from (issue 29): a frame that names the chart for screen readers and
 * keeps its numbers in a table, axes with ticks and a titled unit, and labelled reference lines.
 * Drawn on the server as SVG; no chart library, no script.
 */

/**
 * Drawing width in SVG units. Close to a phone's card width (about 320 px at 390 px), so 11-unit text
 * stays about 10 px there; `.chart` caps the width on wide screens so text never balloons.
 */
export const W = 360
export const INK = '#24292f'
export const MUTED = '#57606a'
export const DATA = '#0b5cad'
export const FLAGGED = '#b42318'
const GRID = '#d0d7de'

/** The rectangle the data is drawn in, in viewBox units. */
export interface Plot {
  left: number
  right: number
  top: number
  bottom: number
}

/** An axis as a reader sees it: its title with the unit, and how a value is printed. */
export interface AxisSpec {
  label: string
  format: (v: number) => string
}

/** A line at a value that means something: the pass mark, the budget, 100% of capacity. */
export interface Reference {
  value: number
  label: string
}

/** Long category names are cut in the drawing; the tooltip and the data table keep them whole. */
export const clip = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s)

export function ChartFrame(props: {
  title: string
  /** One or two sentences a screen reader reads after the title: what the chart shows at a glance. */
  summary?: string
  height: number
  table: { columns: string[]; rows: string[][] }
  children: ReactNode
}) {
  const id = useId()
  return (
    <figure className="chart-figure">
      <svg
        className="chart"
        viewBox={`0 0 ${W} ${props.height}`}
        role="img"
        aria-labelledby={`${id}t`}
        aria-describedby={props.summary ? `${id}d` : undefined}
        fontSize="11"
        fill={INK}
      >
        <title id={`${id}t`}>{props.title}</title>
        {props.summary && <desc id={`${id}d`}>{props.summary}</desc>}
        {props.children}
      </svg>
      {/* The same numbers as a table, for screen readers and for anyone who wants exact values. */}
      <details className="chart-data">
        <summary>Show the data as a table</summary>
        <table>
          <caption className="sr-only">{props.title}</caption>
          <thead>
            <tr>
              {props.table.columns.map((c, i) => (
                <th key={c} scope="col" className={i ? 'num' : undefined}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.table.rows.map((r, k) => (
              <tr key={k}>
                {r.map((v, i) =>
                  i === 0 ? (
                    <th key={i} scope="row">
                      {v}
                    </th>
                  ) : (
                    <td key={i} className="num">
                      {v}
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  )
}

/**
 * A bottom or left axis: the line, a tick and its text at each mark, light grid lines across the plot,
 * and the axis title (with its unit) under the bottom axis or above the left one, never rotated.
 */
export function Axis(props: {
  plot: Plot
  orient: 'bottom' | 'left'
  marks: { at: number; text: string }[]
  label: string
  grid?: boolean
}) {
  const { plot: p, orient } = props
  const bottom = orient === 'bottom'
  return (
    <g className="chart-axis" data-axis={orient}>
      {props.marks.map((m) => (
        <g key={`${m.at}:${m.text}`}>
          {props.grid !== false &&
            (bottom ? (
              <line x1={m.at} x2={m.at} y1={p.top} y2={p.bottom} stroke={GRID} strokeWidth="0.75" />
            ) : (
              <line x1={p.left} x2={p.right} y1={m.at} y2={m.at} stroke={GRID} strokeWidth="0.75" />
            ))}
          {bottom ? (
            <>
              <line x1={m.at} x2={m.at} y1={p.bottom} y2={p.bottom + 4} stroke={MUTED} />
              <text x={m.at} y={p.bottom + 15} textAnchor="middle" fill={MUTED}>
                {m.text}
              </text>
            </>
          ) : (
            <>
              <line x1={p.left - 4} x2={p.left} y1={m.at} y2={m.at} stroke={MUTED} />
              <text x={p.left - 6} y={m.at + 4} textAnchor="end" fill={MUTED}>
                {m.text}
              </text>
            </>
          )}
        </g>
      ))}
      {bottom ? (
        <>
          <line x1={p.left} x2={p.right} y1={p.bottom} y2={p.bottom} stroke={MUTED} />
          <text x={(p.left + p.right) / 2} y={p.bottom + 31} textAnchor="middle" fontWeight="600">
            {props.label}
          </text>
        </>
      ) : (
        <>
          <line x1={p.left} x2={p.left} y1={p.top} y2={p.bottom} stroke={MUTED} />
          <text x={2} y={p.top - 18} fontWeight="600">
            {props.label}
          </text>
        </>
      )}
    </g>
  )
}

/**
 * A dashed line across the plot at a drawing coordinate, with its label kept inside the chart: above
 * the plot beside a vertical line (on whichever side has room; `lane` 1 drops it just inside the plot
 * when two labels would meet), above a horizontal line at the left, where a burn-up line has not yet
 * climbed (below it when it runs along the top).
 */
export function ReferenceLine(props: {
  plot: Plot
  orient: 'vertical' | 'horizontal'
  at: number
  label: string
  lane?: 0 | 1
}) {
  const { plot: p, at } = props
  const halo = { stroke: '#fff', strokeWidth: 3, paintOrder: 'stroke', fontWeight: 600 } as const
  const line = { stroke: INK, strokeWidth: 1.25, strokeDasharray: '5 3' }
  if (props.orient === 'vertical') {
    const roomRight = W - 2 - at > props.label.length * 6.6 + 4
    return (
      <g className="chart-reference" data-reference={props.label}>
        <line x1={at} x2={at} y1={p.top - 2} y2={p.bottom} {...line} />
        <text
          x={roomRight ? at + 4 : at - 4}
          y={props.lane ? p.top + 10 : p.top - 5}
          textAnchor={roomRight ? 'start' : 'end'}
          {...halo}
        >
          {props.label}
        </text>
      </g>
    )
  }
  const y = at - p.top < 14 ? at + 13 : at - 4
  return (
    <g className="chart-reference" data-reference={props.label}>
      <line x1={p.left} x2={p.right} y1={at} y2={at} {...line} />
      <text x={p.left + 4} y={y} {...halo}>
        {props.label}
      </text>
    </g>
  )
}
