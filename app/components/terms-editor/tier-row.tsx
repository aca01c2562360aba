import type { PriceBand } from '#services/rating/contract-terms.ts'
import type { TermsParts } from './editor-state.tsx'

type Tier = PriceBand['tiers'][number]

/** The next tier starts where the open last one ends (or 100,000 units on), at the last one's rate. */
export function withNextTier(tiers: PriceBand['tiers']): PriceBand['tiers'] {
  const last = tiers.at(-1)
  const from = last?.toUnits ?? (last ? last.fromUnits + 100_000 : 0)
  return [
    ...tiers.map((t, k) => (k === tiers.length - 1 && t.toUnits === null ? { ...t, toUnits: from } : t)),
    { fromUnits: from, toUnits: null, rate: last?.rate ?? '0.50' },
  ]
}

/** One tier of a band: from which unit, below which unit, and the rate per device. */
export function TierRow({
  band,
  at: j,
  tier,
  path,
  change,
  remove,
  err,
  mark,
}: {
  band: string
  at: number
  tier: Tier
  path: string
  change: (patch: Partial<Tier>) => void
  remove: () => void
  err: TermsParts['err']
  mark: TermsParts['mark']
}) {
  const name = `Band ${band} tier ${j + 1}`
  return (
    <tr>
      <td>
        <input
          aria-label={`${name} from unit`}
          inputMode="numeric"
          {...mark(`${path}.fromUnits`)}
          value={tier.fromUnits}
          onChange={(e) => change({ fromUnits: Number(e.target.value) })}
        />
        {err(`${path}.fromUnits`)}
      </td>
      <td>
        <input
          aria-label={`${name} below unit`}
          inputMode="numeric"
          {...mark(`${path}.toUnits`)}
          value={tier.toUnits ?? ''}
          onChange={(e) => change({ toUnits: e.target.value.trim() === '' ? null : Number(e.target.value) })}
        />
        {err(`${path}.toUnits`)}
      </td>
      <td>
        <input
          aria-label={`${name} rate`}
          {...mark(`${path}.rate`)}
          value={tier.rate}
          onChange={(e) => change({ rate: e.target.value })}
        />
        {err(`${path}.rate`)}
      </td>
      <td>
        <button type="button" className="btn btn-secondary btn-small" onClick={remove}>
          Remove
        </button>
      </td>
    </tr>
  )
}
