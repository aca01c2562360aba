import type { PriceBand } from '#services/rating/contract-terms.ts'
import { BandFields } from './band-fields.tsx'
import type { TermsParts } from './editor-state.tsx'

/** A per-device royalty: how its tiers count, and its price bands, each with its own tiers. */
export function RoyaltyFields({ terms, set, err, mark }: TermsParts) {
  const royalty = terms.perDeviceRoyalty
  const bands = royalty?.bands ?? []
  const setBands = (b: PriceBand[]) =>
    set('perDeviceRoyalty', { ...royalty, tiering: royalty?.tiering ?? 'graduated', bands: b })
  const setBand = (i: number, patch: Partial<PriceBand>) =>
    setBands(bands.map((b, j) => (j === i ? { ...b, ...patch } : b)))
  return (
    <>
      <label>
        Tiering
        <select
          value={royalty?.tiering}
          onChange={(e) =>
            set('perDeviceRoyalty', {
              tiering: e.target.value as 'graduated' | 'volume',
              retroactive: e.target.value === 'volume' ? royalty?.retroactive : undefined,
              bands,
            })
          }
        >
          <option value="graduated">Graduated: each band of units at its own rate</option>
          <option value="volume">Volume: all units at the rate of the tier reached</option>
        </select>
      </label>
      {royalty?.tiering === 'volume' && (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={royalty.retroactive ?? false}
            onChange={(e) => set('perDeviceRoyalty', { ...royalty, retroactive: e.target.checked || undefined })}
          />{' '}
          Retroactive: crossing a tier re-prices the earlier periods of the contract year
        </label>
      )}
      {bands.map((band, i) => (
        <BandFields
          key={i}
          band={band}
          at={i}
          change={(patch) => setBand(i, patch)}
          remove={() => setBands(bands.filter((_, j) => j !== i))}
          err={err}
          mark={mark}
        />
      ))}
      {err('perDeviceRoyalty.bands')}
      <button
        type="button"
        className="btn btn-secondary btn-small"
        onClick={() =>
          setBands([
            ...bands,
            {
              name: `Band ${bands.length + 1}`,
              minAsp: bands.at(-1)?.maxAsp ?? '0',
              maxAsp: null,
              tiers: [{ fromUnits: 0, toUnits: null, rate: '0.50' }],
            },
          ])
        }
      >
        Add price band
      </button>
    </>
  )
}
