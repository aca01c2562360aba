import type { PriceBand } from '#services/contracts/contract-terms.ts'
import type { TermsParts } from './editor-state.tsx'
import { TermInput } from './optional-term.tsx'
import { TierRow } from './tier-row.tsx'

/** The next tier starts where the open last one ends (or 100,000 units on), at the last one's rate. */
function withNextTier(tiers: PriceBand['tiers']): PriceBand['tiers'] {
  const last = tiers.at(-1)
  const from = last?.toUnits ?? (last ? last.fromUnits + 100_000 : 0)
  return [
    ...tiers.map((t, k) => (k === tiers.length - 1 && t.toUnits === null ? { ...t, toUnits: from } : t)),
    { fromUnits: from, toUnits: null, rate: last?.rate ?? '0.50' },
  ]
}

/** One price band: its name and selling-price range, and its tiers of units. */
export function BandFields({
  band,
  at: i,
  change,
  remove,
  err,
}: {
  band: PriceBand
  at: number
  change: (patch: Partial<PriceBand>) => void
  remove: () => void
  err: TermsParts['err']
}) {
  const path = `perDeviceRoyalty.bands.${i}`
  return (
    <div className="band">
      <div className="row">
        <TermInput label="Band name" value={band.name} onChange={(name) => change({ name })} />
        <TermInput label="ASP from" value={band.minAsp} onChange={(minAsp) => change({ minAsp })} />
        <TermInput
          label="ASP below (blank: no limit)"
          value={band.maxAsp ?? ''}
          onChange={(v) => change({ maxAsp: v.trim() === '' ? null : v })}
        />
        <button
          type="button"
          className="btn btn-secondary btn-small"
          onClick={remove}
          aria-label={`Remove band ${band.name}`}
        >
          Remove band
        </button>
      </div>
      {err(`${path}.name`)}
      {err(`${path}.minAsp`)}
      {err(`${path}.maxAsp`)}
      <table className="tiers">
        <thead>
          <tr>
            <th scope="col">From unit</th>
            <th scope="col">Below unit (blank: no limit)</th>
            <th scope="col">Rate per device</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {band.tiers.map((tier, j) => (
            <TierRow
              key={j}
              band={band.name}
              at={j}
              tier={tier}
              path={`${path}.tiers.${j}`}
              change={(patch) => change({ tiers: band.tiers.map((x, k) => (k === j ? { ...x, ...patch } : x)) })}
              remove={() => change({ tiers: band.tiers.filter((_, k) => k !== j) })}
              err={err}
            />
          ))}
        </tbody>
      </table>
      <button
        type="button"
        className="btn btn-secondary btn-small"
        onClick={() => change({ tiers: withNextTier(band.tiers) })}
      >
        Add tier
      </button>
    </div>
  )
}
