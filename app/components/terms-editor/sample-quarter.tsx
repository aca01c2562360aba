import type { ContractTerms } from '#services/rating/contract-terms.ts'
import { ChargeLines } from '../charge-lines.tsx'
import type { PreviewResult } from './editor-state.tsx'

export interface Sample {
  units: Record<string, string>
  revenue: string
}

/** Units per band and revenue for a made-up quarter, and what the draft would invoice for it, line by line. */
export function SampleQuarter({
  terms,
  sample,
  setSample,
  preview,
}: {
  terms: ContractTerms
  sample: Sample
  setSample: (change: (s: Sample) => Sample) => void
  preview?: PreviewResult['preview']
}) {
  return (
    <section className="card">
      <h2>A sample quarter</h2>
      {(terms.perDeviceRoyalty?.bands ?? []).map((b) => (
        <label key={b.name}>
          Units shipped, “{b.name}”
          <input
            inputMode="numeric"
            value={sample.units[b.name] ?? ''}
            placeholder="0"
            onChange={(e) => setSample((s) => ({ ...s, units: { ...s.units, [b.name]: e.target.value } }))}
          />
        </label>
      ))}
      {terms.revenueShare && (
        <label>
          AI-related revenue ({terms.currency})
          <input
            value={sample.revenue}
            placeholder="0"
            onChange={(e) => setSample((s) => ({ ...s, revenue: e.target.value }))}
          />
        </label>
      )}
      {preview && <ChargeLines lines={preview.lines} totalLabel="Invoiced for the quarter" total={preview.total} />}
      {preview?.notes.map((n) => (
        <p key={n} className="hint">
          {n}
        </p>
      ))}
    </section>
  )
}
