import type { TermsParts } from './editor-state.tsx'
import { AmountTerm, OptionalTerm } from './optional-term.tsx'
import { RoyaltyFields } from './royalty-fields.tsx'
import { FeeFields, MinimumGuaranteeFields } from './fee-fields.tsx'

const firstBand = () => ({
  name: 'All devices',
  minAsp: '0',
  maxAsp: null,
  tiers: [{ fromUnits: 0, toUnits: null, rate: '0.50' }],
})

/** What the partner pays: a pilot's fee, or a license's components, each optional and priced as typed. */
export function PricingFields({
  kind,
  terms,
  set,
  err,
  mark,
}: TermsParts & { kind: 'paid_pilot' | 'production_license' }) {
  const parts = { terms, set, err, mark }
  return (
    <fieldset className="card">
      <legend>Pricing</legend>
      {kind === 'paid_pilot' ? (
        <AmountTerm
          term="pilotFee"
          label="Pilot fee"
          amountLabel={`Amount (${terms.currency})`}
          initial="50000"
          parts={parts}
        />
      ) : (
        <>
          <OptionalTerm
            label="Per-device royalty"
            on={!!terms.perDeviceRoyalty}
            toggle={(on) => set('perDeviceRoyalty', on ? { tiering: 'graduated', bands: [firstBand()] } : undefined)}
          >
            <RoyaltyFields {...parts} />
          </OptionalTerm>
          {err('perDeviceRoyalty')}
          <FeeFields {...parts} />
          <MinimumGuaranteeFields {...parts} />
          <AmountTerm
            term="prepaidAdvance"
            label="Prepaid advance"
            amountLabel={`Amount (${terms.currency}), recouped from royalties first`}
            initial="100000"
            parts={parts}
          />
          <AmountTerm
            term="cap"
            label="Royalty cap"
            amountLabel={`At most, per contract year (${terms.currency})`}
            initial="5000000"
            parts={parts}
            showTermErrors
          />
        </>
      )}
      {err('pilotFee')}
    </fieldset>
  )
}
