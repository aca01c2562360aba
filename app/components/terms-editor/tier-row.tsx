import type { PriceBand } from '#services/contracts/contract-terms.ts'
import type { TermsParts } from './editor-state.tsx'

type Tier = PriceBand['tiers'][number]

/** One tier of a band: from which unit, below which unit, and the rate per device. */
export function TierRow({
  band,
  at: j,
  tier,
  path,
  change,
  remove,
  err,
}: {
  band: string
  at: number
  tier: Tier
  path: string
  change: (patch: Partial<Tier>) => void
  remove: () => void
  err: TermsParts['err']
}) {
  const name = `Band ${band} tier ${j + 1}`
  return (
    <tr>
      <td>
        <input
          aria-label={`${name} from unit`}
          inputMode="numeric"
          value={tier.fromUnits}
          onChange={(e) => change({ fromUnits: Number(e.target.value) })}
        />
        {err(`${path}.fromUnits`)}
      </td>
      <td>
        <input
          aria-label={`${name} below unit`}
          inputMode="numeric"
          value={tier.toUnits ?? ''}
          onChange={(e) => change({ toUnits: e.target.value.trim() === '' ? null : Number(e.target.value) })}
        />
        {err(`${path}.toUnits`)}
      </td>
      <td>
        <input aria-label={`${name} rate`} value={tier.rate} onChange={(e) => change({ rate: e.target.value })} />
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
