import { Link } from 'react-router'
import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import { KpiCards } from '#app/components/kpi-cards.tsx'
import type { Route } from './+types/statistics'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { examStatistics } from '#services/training/exam-statistics.ts'
import { lintExamBank } from '#services/training/lint-exam-bank.ts'
import { BlindStrategies, LintFindings } from './lint-findings.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Item statistics · Training' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'exams.statistics')
  const [statistics, lint] = await Promise.all([
    examStatistics(actor, params.examSlug),
    lintExamBank(actor, params.examSlug),
  ]).catch(rethrowAsResponse)
  return { ...statistics, lint }
}

const pct = (x: number) => `${Math.round(x * 100)}%`

/** Score distribution in 10-point bins, as an SVG bar chart. */
function Histogram({ scores }: { scores: number[] }) {
  const bins = Array.from({ length: 10 }, (_, i) => scores.filter((s) => Math.min(9, Math.floor(s / 10)) === i).length)
  const max = Math.max(1, ...bins)
  return (
    <svg viewBox="0 0 300 120" role="img" aria-label="Distribution of first-attempt scores" width="100%">
      {bins.map((n, i) => (
        <g key={i}>
          <rect x={i * 30 + 2} y={100 - (n / max) * 90} width={26} height={(n / max) * 90} fill="#4f46e5" />
          <text x={i * 30 + 15} y={114} fontSize="8" textAnchor="middle">
            {i * 10}
          </text>
        </g>
      ))}
    </svg>
  )
}

/** Each item as a point: facility across, discrimination up; flagged items in red. */
function ItemMap({
  items,
}: {
  items: { itemId: string; facility: number; discrimination: number | null; flags: string[] }[]
}) {
  return (
    <svg viewBox="0 0 300 160" role="img" aria-label="Items by facility and discrimination" width="100%">
      <line x1="0" y1="80" x2="300" y2="80" stroke="#999" />
      {items.map((i) => (
        <circle
          key={i.itemId}
          cx={i.facility * 290 + 5}
          cy={80 - (i.discrimination ?? 0) * 75}
          r="3"
          fill={i.flags.length ? '#b91c1c' : '#4f46e5'}
        />
      ))}
    </svg>
  )
}

const itemColumns: Columns<Route.ComponentProps['loaderData']['items'][number]> = [
  { header: 'Item', cell: (i) => withHint(i.stem, i.domain) },
  { header: 'n', numeric: true, cell: (i) => i.n },
  { header: 'Facility', numeric: true, cell: (i) => pct(i.facility) },
  {
    header: 'Discrimination',
    numeric: true,
    cell: (i) => (i.discrimination === null ? '—' : i.discrimination.toFixed(2)),
  },
  {
    header: 'Choices chosen',
    cell: (i) =>
      Object.entries(i.choiceRates)
        .sort()
        .map(([c, r]) => `${c}${i.key.includes(c) ? '✓' : ''} ${pct(r)}`)
        .join(' · '),
  },
  { header: 'Flags', cell: (i) => i.flags.join(', ') },
]

export default function Statistics({ loaderData: s }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title={`Statistics: ${s.exam.title}`}
        subtitle={
          'First attempts only. Facility is the share answering correctly; ' +
          'discrimination is the corrected point-biserial.'
        }
        actions={
          <>
            <Link to={`/training/exams/${s.exam.slug}/items`}>Item bank</Link> ·{' '}
            <a href={`/training/exams/${s.exam.slug}/statistics.csv`}>CSV</a>
          </>
        }
      />
      <KpiCards
        className="stats"
        figures={[
          { label: 'First attempts', value: s.attempts },
          { label: 'Pass rate', value: s.passRate === null ? '—' : pct(s.passRate) },
          {
            label: 'Reliability (KR-20)',
            value: s.kr20 === null ? '—' : s.kr20.toFixed(2),
            hint: '0.7 or more is good',
          },
        ]}
      />
      <Card title="Bank lint">
        <p className="hint">
          What a candidate who knows nothing scores by betting on the lengths or positions of the choices, over the{' '}
          {s.lint.liveItems} live items. A fair bank leaves every such bet at chance.
        </p>
        {s.lint.bank.length ? (
          <LintFindings findings={s.lint.bank} label="Bank-level findings" />
        ) : (
          <p>No bank-level finding: no blind strategy beats chance by more than the lint allows.</p>
        )}
        <BlindStrategies measures={s.lint.measures} />
        {s.lint.items.length > 0 && (
          <>
            <h3>Items</h3>
            <ul className="lint-items">
              {s.lint.items.map((i) => (
                <li key={i.itemId}>
                  {i.stem} <span className="hint">{i.domain}</span>
                  <LintFindings findings={i.findings} label={`Findings: ${i.stem}`} />
                </li>
              ))}
            </ul>
          </>
        )}
      </Card>
      <Card title="Scores">
        <Histogram scores={s.scores} />
      </Card>
      <Card title="Items: facility (across) and discrimination (up)">
        <ItemMap items={s.items} />
      </Card>
      <Card title="Items">
        <DataTable rows={s.items} rowKey={(i) => i.itemId} columns={itemColumns} />
      </Card>
    </>
  )
}
