import type { ReactNode } from 'react'

export interface ChargeLine {
  label: string
  amount: string
  /** How the amount was computed, step by step, as the rating engine explains it. */
  trace: string[]
}

/** Charges with the working behind each, and their total: a report's charges, a draft's sample quarter. */
export function ChargeLines({
  lines,
  totalLabel,
  total,
}: {
  lines: ChargeLine[]
  totalLabel: ReactNode
  total: string
}) {
  return (
    <table className="preview">
      <tbody>
        {lines.map((l, k) => (
          <tr key={k}>
            <td>
              {l.label}
              <ul className="trace">
                {l.trace.map((t, m) => (
                  <li key={m}>{t}</li>
                ))}
              </ul>
            </td>
            <td className="num">{l.amount}</td>
          </tr>
        ))}
        <tr className="total">
          <th scope="row">{totalLabel}</th>
          <td className="num">{total}</td>
        </tr>
      </tbody>
    </table>
  )
}
