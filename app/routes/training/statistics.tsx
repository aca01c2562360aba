import { Link } from 'react-router'
import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import { KpiCards } from '#app/components/kpi-cards.tsx'
import type { Route } from './+types/statistics'
import { Histogram, ScatterChart } from '#app/components/charts.tsx'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { examStatistics } from '#services/training/exam-statistics.ts'
import {
  FACILITY_TOO_EASY_ABOVE,
  FACILITY_TOO_HARD_BELOW,
  MIN_RESPONSES_FOR_FLAGS,
} from '#services/training/item-statistics.ts'
import { lintExamBank } from '#services/training/lint-exam-bank.ts'
import { BlindStrategies, LintFindings } from './lint-findings.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Item statistics · Training' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'exams.statistics')
  const [statistics, lint] = await Promise.all([
    examStatistics(actor, params.examSlug),
    lintExamBank(actor, params.examSlug),
  ]).catch(rethrowAsResponse)
  return {
    ...statistics,
    lint,
    bounds: {
      tooHardBelow: FACILITY_TOO_HARD_BELOW,
      tooEasyAbove: FACILITY_TOO_EASY_ABOVE,
      minResponsesForFlags: MIN_RESPONSES_FOR_FLAGS,
    },
  }
}

type Bounds = { tooHardBelow: number; tooEasyAbove: number; minResponsesForFlags: number }

const pct = (x: number) => `${Math.round(x * 100)}%`

/** First-attempt scores in 10-point bins (the last holds 90 to 100), with the pass mark drawn. */
function ScoreHistogram({ scores, passPercent }: { scores: number[]; passPercent: number }) {
  const bins = Array.from({ length: 10 }, (_, i) => ({
    from: i * 10,
    to: i * 10 + 10,
    label: i === 9 ? '90–100%' : `${i * 10}–${i * 10 + 9}%`,
    count: scores.filter((s) => Math.min(9, Math.floor(s / 10)) === i).length,
  }))
  const passed = scores.filter((s) => s >= passPercent).length
  return (
    <Histogram
      title="Distribution of first-attempt scores"
      summary={`${scores.length} first attempts; ${passed} at or above the pass mark of ${passPercent}%.`}
      x={{ label: 'Score (% correct)', format: (v) => `${v}%` }}
      y={{ label: 'Attempts' }}
      bins={bins}
      references={[{ value: passPercent, label: `pass mark ${passPercent}%` }]}
    />
  )
}

/** Each item as a point: facility across, discrimination up; flagged items are red squares. */
function ItemMap({ items, bounds }: { items: Route.ComponentProps['loaderData']['items']; bounds: Bounds }) {
  const r = (d: number | null) => (d === null ? '—' : d.toFixed(2))
  // An item answered by one candidate, or by all alike, has no correlation to plot; the table lists it.
  const plotted = items.filter((i) => i.discrimination !== null)
  const unflaggable = plotted.filter((i) => i.n < bounds.minResponsesForFlags).length
  return (
    <ScatterChart
      title="Items by facility and discrimination"
      summary={
        `${plotted.length} items plotted, ${plotted.filter((i) => i.flags.length).length} flagged` +
        (plotted.length < items.length ? `; ${items.length - plotted.length} without a discrimination yet` : '') +
        // A red square needs enough answers to mean something: say so, or an unflagged -1.00 reads as fine.
        (unflaggable
          ? `; ${unflaggable} answered fewer than ${bounds.minResponsesForFlags} times are not flagged.`
          : '.')
      }
      x={{ label: 'Facility (% answering correctly)', format: (v) => `${Math.round(v * 100)}%`, domain: [0, 1] }}
      y={{ label: 'Discrimination (r)', format: (v) => v.toFixed(1), domain: [-0.2, 0.6] }}
      points={plotted.map((i) => ({
        key: i.itemId,
        x: i.facility,
        y: i.discrimination!,
        flagged: i.flags.length > 0,
        text: [`${i.stem}: facility ${pct(i.facility)}`, `discrimination ${r(i.discrimination)}`, ...i.flags].join(
          ', ',
        ),
      }))}
      references={[
        { axis: 'x', value: bounds.tooHardBelow, label: `too hard below ${pct(bounds.tooHardBelow)}` },
        { axis: 'x', value: bounds.tooEasyAbove, label: `too easy above ${pct(bounds.tooEasyAbove)}`, lane: 1 },
        { axis: 'y', value: 0, label: 'no discrimination' },
      ]}
      table={{
        columns: ['Item', 'Facility', 'Discrimination', 'Flags'],
        rows: items.map((i) => [i.stem, pct(i.facility), r(i.discrimination), i.flags.join(', ')]),
      }}
    />
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
            hint: s.smallSample
              ? `provisional: ${s.attempts} attempt${s.attempts === 1 ? '' : 's'}`
              : '0.7 or more is good',
          },
        ]}
      />
      {s.smallSample && (
        <div className="alert alert-warning" role="note" data-testid="small-sample">
          {s.smallSample}
        </div>
      )}
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
        <ScoreHistogram scores={s.scores} passPercent={s.exam.passPercent} />
      </Card>
      <Card title="Items: facility (across) and discrimination (up)">
        <ItemMap items={s.items} bounds={s.bounds} />
      </Card>
      <Card title="Items">
        <DataTable rows={s.items} rowKey={(i) => i.itemId} columns={itemColumns} />
      </Card>
    </>
  )
}
