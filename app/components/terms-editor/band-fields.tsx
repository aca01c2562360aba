import type { PriceBand } from '#services/rating/contract-terms.ts'
import type { TermsParts } from './editor-state.tsx'
import { TermInput } from './optional-term.tsx'
import { TierRow, withNextTier } from './tier-row.tsx'

/** One price band: its name and selling-price range, and its tiers of units. */
export function BandFields({
  band,
  at: i,
  change,
  remove,
  err,
  mark,
}: {
  band: PriceBand
  at: number
  change: (patch: Partial<PriceBand>) => void
  remove: () => void
  err: TermsParts['err']
  mark: TermsParts['mark']
}) {
  const path = `perDeviceRoyalty.bands.${i}`
  return (
    <div className="band">
      <div className="row">
        <TermInput
          label="Band name"
          mark={mark(`${path}.name`)}
          value={band.name}
          onChange={(name) => change({ name })}
        />
        <TermInput
          label="ASP from"
          mark={mark(`${path}.minAsp`)}
          value={band.minAsp}
          onChange={(minAsp) => change({ minAsp })}
        />
        <TermInput
          label="ASP below (blank: no limit)"
          mark={mark(`${path}.maxAsp`)}
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
              mark={mark}
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
