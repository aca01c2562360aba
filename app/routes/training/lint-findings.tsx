import { DataTable } from '#app/components/data-table.tsx'
import type { BankMeasure, LintFinding } from '#services/training/lint-item-bank.ts'

/** Item-lint findings (issue 26), errors told apart from warnings by word as well as by colour. */
export function LintFindings({ findings, label }: { findings: readonly LintFinding<string>[]; label: string }) {
  return (
    <ul className="lint-findings" aria-label={label}>
      {findings.map((f, i) => (
        <li key={i} data-code={f.code}>
          <span className={`badge ${f.severity === 'error' ? 'badge-failed' : 'badge-pending_approval'}`}>
            {f.severity}
          </span>{' '}
          {f.message}
        </li>
      ))}
    </ul>
  )
}

const pct = (x: number) => `${Math.round(x * 100)}%`

const strategies: Record<string, string> = {
  key_often_longest: 'Pick the longest choice (single choice)',
  key_often_shortest: 'Pick the shortest choice (single choice)',
  key_often_middle: 'Strike out the longest and the shortest (single choice)',
  key_often_includes_longest: 'The longest choice is a key (multiple response)',
  key_position_skewed: 'Pick the most frequent key position, in authored order',
}

/** What each blind strategy scores on the bank, against chance and the lint's bound. */
export function BlindStrategies({ measures }: { measures: readonly BankMeasure[] }) {
  const floor = measures.find((m) => m.code === 'key_rarely_includes_longest')
  const flaggedOf = (m: BankMeasure) => m.flagged || (m.code === 'key_often_includes_longest' && floor?.flagged)
  return (
    <DataTable
      label="Blind strategies"
      rows={measures.filter((m) => m.code in strategies)}
      rowKey={(m) => m.code}
      rowProps={(m) => ({ 'data-flagged': flaggedOf(m) ? 'yes' : 'no' })}
      columns={[
        { header: 'Blind strategy', cell: (m) => strategies[m.code] },
        { header: 'Items', numeric: true, cell: (m) => m.items },
        { header: 'Scores', numeric: true, cell: (m) => `${pct(m.share)} ${flaggedOf(m) ? '⚠' : ''}` },
        { header: 'Chance', numeric: true, cell: (m) => pct(m.chance) },
        {
          header: 'Flagged',
          numeric: true,
          cell: (m) =>
            m.code === 'key_often_includes_longest' && floor
              ? `outside ${pct(Math.max(0, floor.threshold))}–${pct(m.threshold)}`
              : `above ${pct(m.threshold)}`,
        },
      ]}
    />
  )
}
