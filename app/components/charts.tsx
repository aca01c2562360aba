import {
  Axis,
  ChartFrame,
  clip,
  DATA,
  FLAGGED,
  MUTED,
  ReferenceLine,
  W,
  type AxisSpec,
  type Reference,
} from './chart-parts.tsx'
import { labelEvery, linearScale, niceTicks, tickText } from './chart-scale.ts'

/**
 * The platform's charts (issue 29): every one has axes with ticks and a unit, labelled reference lines,
 * a tooltip on each mark (SVG <title>) and its data as a table. Built from chart-parts.tsx.
 */

/** Ticks for values measured from zero (bars, counts, hours), reaching the reference lines too. */
function ticksFor(values: number[], refs: Reference[] = [], count = 5, integer = false) {
  const all = [0, ...values, ...refs.map((r) => r.value)]
  return niceTicks(Math.min(...all), Math.max(...all), count, { integer })
}

/**
 * Horizontal bars, one per row with its name above it and its value at the right, so long names fit a
 * phone; a value axis along the bottom. Flagged bars (over budget, negative) are red, and the page
 * says why in words beside the chart.
 */
export function BarChart(props: {
  title: string
  summary?: string
  /** The first column of the data table: what a bar is (Consultant, Engagement, Last day). */
  category: string
  axis: AxisSpec
  bars: { label: string; value: number; text: string; flagged?: boolean }[]
  references?: Reference[]
}) {
  const row = 34
  const top = props.references?.length ? 22 : 4
  // Margins leave half a tick label's width each side ("-50%", "$200,000").
  const plot = { left: 20, right: W - 28, top, bottom: top + props.bars.length * row }
  const t = ticksFor(
    props.bars.map((b) => b.value),
    props.references,
  )
  const x = linearScale([t.min, t.max], [plot.left, plot.right])
  return (
    <ChartFrame
      title={props.title}
      summary={props.summary}
      height={plot.bottom + 38}
      table={{ columns: [props.category, props.axis.label], rows: props.bars.map((b) => [b.label, b.text]) }}
    >
      <Axis
        plot={plot}
        orient="bottom"
        label={props.axis.label}
        marks={t.values.map((v) => ({ at: x(v), text: props.axis.format(v) }))}
      />
      {props.bars.map((b, i) => {
        const y = plot.top + i * row
        const [from, to] = [x(Math.min(0, b.value)), x(Math.max(0, b.value))]
        const red = b.flagged || b.value < 0
        return (
          <g key={`${b.label}:${i}`} className="chart-mark" data-flagged={red ? 'yes' : 'no'}>
            <title>{`${b.label}: ${b.text}`}</title>
            <text x={plot.left} y={y + 10}>
              {clip(b.label, 38)}
            </text>
            <text x={plot.right} y={y + 10} textAnchor="end" fontWeight="600" fill={red ? FLAGGED : undefined}>
              {b.text}
            </text>
            <rect x={from} y={y + 14} width={Math.max(1, to - from)} height="13" fill={red ? FLAGGED : DATA} />
          </g>
        )
      })}
      {props.references?.map((r) => (
        <ReferenceLine key={r.label} plot={plot} orient="vertical" at={x(r.value)} label={r.label} />
      ))}
    </ChartFrame>
  )
}

/** Counts in numeric bins (a score distribution): bins along the bottom axis, counts up the left. */
export function Histogram(props: {
  title: string
  summary?: string
  x: AxisSpec
  y: { label: string }
  bins: { from: number; to: number; label: string; count: number }[]
  references?: Reference[]
}) {
  const plot = { left: 36, right: W - 16, top: 38, bottom: 176 }
  const first = props.bins[0]?.from ?? 0
  const last = props.bins.at(-1)?.to ?? 1
  const tx = niceTicks(first, last)
  const ty = ticksFor(
    props.bins.map((b) => b.count),
    [],
    4,
    true,
  )
  const x = linearScale([tx.min, tx.max], [plot.left, plot.right])
  const y = linearScale([0, ty.max], [plot.bottom, plot.top])
  return (
    <ChartFrame
      title={props.title}
      summary={props.summary}
      height={plot.bottom + 38}
      table={{ columns: [props.x.label, props.y.label], rows: props.bins.map((b) => [b.label, String(b.count)]) }}
    >
      <Axis
        plot={plot}
        orient="left"
        label={props.y.label}
        marks={ty.values.map((v) => ({ at: y(v), text: tickText(v, ty.step) }))}
      />
      <Axis
        plot={plot}
        orient="bottom"
        label={props.x.label}
        grid={false}
        marks={tx.values.map((v) => ({ at: x(v), text: props.x.format(v) }))}
      />
      {props.bins.map((b) => (
        <g key={b.label} className="chart-mark">
          <title>{`${b.label}: ${b.count}`}</title>
          <rect
            x={x(b.from) + 1}
            y={y(b.count)}
            width={x(b.to) - x(b.from) - 2}
            height={plot.bottom - y(b.count)}
            fill={DATA}
          />
          {b.count > 0 && (
            <text x={(x(b.from) + x(b.to)) / 2} y={y(b.count) - 3} textAnchor="middle" fontSize="10">
              {b.count}
            </text>
          )}
        </g>
      ))}
      {props.references?.map((r) => (
        <ReferenceLine key={r.label} plot={plot} orient="vertical" at={x(r.value)} label={r.label} />
      ))}
    </ChartFrame>
  )
}

/** Points on two value axes (items by facility and discrimination); flagged points are red squares. */
export function ScatterChart(props: {
  title: string
  summary?: string
  x: AxisSpec & { domain: [number, number] }
  y: AxisSpec & { domain: [number, number] }
  points: { key: string; x: number; y: number; text: string; flagged?: boolean }[]
  references?: (Reference & { axis: 'x' | 'y'; lane?: 0 | 1 })[]
  table: { columns: string[]; rows: string[][] }
}) {
  const plot = { left: 40, right: W - 16, top: 38, bottom: 226 }
  const tx = niceTicks(...props.x.domain)
  const ty = niceTicks(
    Math.min(props.y.domain[0], ...props.points.map((p) => p.y)),
    Math.max(props.y.domain[1], ...props.points.map((p) => p.y)),
    4,
  )
  const x = linearScale([tx.min, tx.max], [plot.left, plot.right])
  const y = linearScale([ty.min, ty.max], [plot.bottom, plot.top])
  return (
    <ChartFrame title={props.title} summary={props.summary} height={plot.bottom + 54} table={props.table}>
      <Axis
        plot={plot}
        orient="left"
        label={props.y.label}
        marks={ty.values.map((v) => ({ at: y(v), text: props.y.format(v) }))}
      />
      <Axis
        plot={plot}
        orient="bottom"
        label={props.x.label}
        marks={tx.values.map((v) => ({ at: x(v), text: props.x.format(v) }))}
      />
      {props.references?.map((r) => (
        <ReferenceLine
          key={r.label}
          plot={plot}
          orient={r.axis === 'x' ? 'vertical' : 'horizontal'}
          at={r.axis === 'x' ? x(r.value) : y(r.value)}
          label={r.label}
          lane={r.lane}
        />
      ))}
      {props.points.map((p) => (
        <g key={p.key} className="chart-mark" data-flagged={p.flagged ? 'yes' : 'no'}>
          <title>{p.text}</title>
          {p.flagged ? (
            <rect x={x(p.x) - 4} y={y(p.y) - 4} width="8" height="8" fill={FLAGGED} />
          ) : (
            <circle cx={x(p.x)} cy={y(p.y)} r="4" fill={DATA} fillOpacity="0.8" />
          )}
        </g>
      ))}
      <g fill={MUTED} fontSize="10" transform={`translate(${W - 130} ${plot.bottom + 48})`}>
        <circle cx="4" cy="-4" r="4" fill={DATA} />
        <text x="12">item</text>
        <rect x="44" y="-8" width="8" height="8" fill={FLAGGED} />
        <text x="56">flagged item</text>
      </g>
    </ChartFrame>
  )
}

/** Cumulative approved hours by week against the budget: the burn-up chart customers and leads read. */
export function BurnChart(props: { points: { week: string; hours: number }[]; budgetHours: number }) {
  const plot = { left: 40, right: W - 16, top: 30, bottom: 168 }
  const n = props.points.length
  const budget = props.budgetHours > 0 ? [{ value: props.budgetHours, label: `budget ${props.budgetHours} h` }] : []
  const ty = ticksFor(
    props.points.map((p) => p.hours),
    budget,
    4,
  )
  const x = (i: number) =>
    n <= 1 ? (plot.left + plot.right) / 2 : plot.left + 8 + (i / (n - 1)) * (plot.right - plot.left - 16)
  const y = linearScale([0, ty.max], [plot.bottom, plot.top])
  const path = props.points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.hours).toFixed(1)}`).join(' ')
  const last = props.points.at(-1)
  const sofar = last ? `${last.hours} of ${props.budgetHours} h by the week of ${last.week}` : 'none yet'
  const show = labelEvery(n, 6)
  return (
    <ChartFrame
      title={`Approved hours to date: ${sofar}`}
      summary={budget.length ? `The dashed line is the budget of ${props.budgetHours} hours.` : undefined}
      height={plot.bottom + 38}
      table={{
        columns: ['Week of', 'Approved hours to date'],
        rows: props.points.map((p) => [p.week, `${p.hours} h`]),
      }}
    >
      <Axis
        plot={plot}
        orient="left"
        label="Approved hours, cumulative (h)"
        marks={ty.values.map((v) => ({ at: y(v), text: tickText(v, ty.step) }))}
      />
      <Axis
        plot={plot}
        orient="bottom"
        label="Week of (month-day)"
        grid={false}
        marks={props.points.flatMap((p, i) => (show(i) ? [{ at: x(i), text: p.week.slice(5) }] : []))}
      />
      {budget.map((r) => (
        <ReferenceLine key={r.label} plot={plot} orient="horizontal" at={y(r.value)} label={r.label} />
      ))}
      <path d={path} fill="none" stroke={DATA} strokeWidth="2" />
      {props.points.map((p, i) => (
        <circle key={p.week} className="chart-mark" cx={x(i)} cy={y(p.hours)} r="3.5" fill={DATA}>
          <title>{`Week of ${p.week}: ${p.hours} h approved to date`}</title>
        </circle>
      ))}
    </ChartFrame>
  )
}
