/** Horizontal bars with a reference line (e.g. 100% capacity): small SVG, readable without colour. */
export function BarChart(props: {
  title: string
  bars: { label: string; value: number; text: string }[]
  /** Where a reference line is drawn, in the bars' unit (e.g. 100 for full capacity). */
  reference?: { value: number; label: string }
}) {
  const max = Math.max(1, props.reference?.value ?? 0, ...props.bars.map((b) => b.value))
  const row = 26
  const left = 180
  const width = 420
  const x = (v: number) => left + (Math.max(0, v) / max) * width
  return (
    <svg
      className="chart"
      viewBox={`0 0 ${left + width + 90} ${props.bars.length * row + 24}`}
      role="img"
      aria-label={`${props.title}: ${props.bars.map((b) => `${b.label} ${b.text}`).join(', ')}`}
    >
      {props.bars.map((b, i) => (
        <g key={b.label} transform={`translate(0, ${i * row + 4})`}>
          <text x={left - 8} y="15" textAnchor="end" fontSize="12">
            {b.label}
          </text>
          <rect x={left} y="2" width={x(b.value) - left} height="18" fill={b.value < 0 ? '#b42318' : '#0b5cad'} />
          <text x={x(b.value) + 6} y="15" fontSize="11">
            {b.text}
          </text>
        </g>
      ))}
      {props.reference && (
        <g>
          <line
            x1={x(props.reference.value)}
            x2={x(props.reference.value)}
            y1="0"
            y2={props.bars.length * row + 6}
            stroke="#444"
            strokeDasharray="4 3"
          />
          <text x={x(props.reference.value)} y={props.bars.length * row + 20} textAnchor="middle" fontSize="11">
            {props.reference.label}
          </text>
        </g>
      )}
    </svg>
  )
}

/** Cumulative approved hours by week against the budget: the burn-up chart customers and leads read. */
export function BurnChart(props: { points: { week: string; hours: number }[]; budgetHours: number }) {
  const w = 560
  const h = 180
  const pad = 36
  const max = Math.max(1, props.budgetHours, ...props.points.map((p) => p.hours))
  const x = (i: number) => pad + (props.points.length <= 1 ? 0 : (i / (props.points.length - 1)) * (w - 2 * pad))
  const y = (v: number) => h - pad + 10 - (v / max) * (h - pad)
  const path = props.points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.hours).toFixed(1)}`).join(' ')
  const last = props.points.at(-1)
  const label = last ? `${last.hours} of ${props.budgetHours} by the week of ${last.week}` : 'none yet'
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`Approved hours to date: ${label}`}>
      <line
        x1={pad}
        x2={w - pad}
        y1={y(props.budgetHours)}
        y2={y(props.budgetHours)}
        stroke="#b42318"
        strokeDasharray="5 4"
      />
      <text x={w - pad} y={y(props.budgetHours) - 4} textAnchor="end" fontSize="11">
        budget {props.budgetHours} h
      </text>
      <path d={path} fill="none" stroke="#0b5cad" strokeWidth="2" />
      {props.points.map((p, i) => (
        <g key={p.week}>
          <circle cx={x(i)} cy={y(p.hours)} r="3" fill="#0b5cad" />
          <text x={x(i)} y={h - 4} textAnchor="middle" fontSize="10">
            {p.week.slice(5)}
          </text>
        </g>
      ))}
    </svg>
  )
}
