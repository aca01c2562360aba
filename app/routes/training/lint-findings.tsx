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
  return (
    <table aria-label="Blind strategies">
      <thead>
        <tr>
          <th scope="col">Blind strategy</th>
          <th scope="col" className="num">
            Items
          </th>
          <th scope="col" className="num">
            Scores
          </th>
          <th scope="col" className="num">
            Chance
          </th>
          <th scope="col" className="num">
            Flagged
          </th>
        </tr>
      </thead>
      <tbody>
        {measures
          .filter((m) => m.code in strategies)
          .map((m) => {
            const flagged = m.flagged || (m.code === 'key_often_includes_longest' && floor?.flagged)
            return (
              <tr key={m.code} data-flagged={flagged ? 'yes' : 'no'}>
                <td>{strategies[m.code]}</td>
                <td className="num">{m.items}</td>
                <td className="num">
                  {pct(m.share)} {flagged ? '⚠' : ''}
                </td>
                <td className="num">{pct(m.chance)}</td>
                <td className="num">
                  {m.code === 'key_often_includes_longest' && floor
                    ? `outside ${pct(Math.max(0, floor.threshold))}–${pct(m.threshold)}`
                    : `above ${pct(m.threshold)}`}
                </td>
              </tr>
            )
          })}
      </tbody>
    </table>
  )
}
