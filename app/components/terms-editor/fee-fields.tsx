import type { TermsParts } from './editor-state.tsx'
import { OptionalTerm, TermInput } from './optional-term.tsx'

/** The base license fee (an amount per month, quarter or year) and the revenue share. */
export function FeeFields({ terms, set, err, mark }: TermsParts) {
  return (
    <>
      <OptionalTerm
        label="Base license fee"
        on={!!terms.baseFee}
        toggle={(on) => set('baseFee', on ? { amount: '120000', period: 'year' } : undefined)}
      >
        <div className="row">
          <TermInput
            label={`Amount (${terms.currency})`}
            mark={mark('baseFee.amount')}
            value={terms.baseFee?.amount ?? ''}
            onChange={(amount) => set('baseFee', { period: terms.baseFee?.period ?? 'year', amount })}
          />
          <label>
            Per
            <select
              value={terms.baseFee?.period}
              onChange={(e) =>
                set('baseFee', {
                  amount: terms.baseFee?.amount ?? '0',
                  period: e.target.value as 'month' | 'quarter' | 'year',
                })
              }
            >
              <option value="month">month</option>
              <option value="quarter">quarter</option>
              <option value="year">year</option>
            </select>
          </label>
        </div>
        {err('baseFee.amount')}
      </OptionalTerm>
      <OptionalTerm
        label="Revenue share"
        on={!!terms.revenueShare}
        toggle={(on) => set('revenueShare', on ? { percent: '7.50' } : undefined)}
      >
        <TermInput
          label="Percent of AI-related revenue"
          mark={mark('revenueShare.percent')}
          value={terms.revenueShare?.percent ?? ''}
          onChange={(percent) => set('revenueShare', { percent })}
        />
        {err('revenueShare.percent')}
      </OptionalTerm>
    </>
  )
}

/** A floor on what the partner pays per quarter or year; an excess may carry forward. */
export function MinimumGuaranteeFields({ terms, set, err, mark }: TermsParts) {
  const guarantee = terms.minimumGuarantee
  return (
    <OptionalTerm
      label="Minimum guarantee"
      on={!!guarantee}
      toggle={(on) =>
        set('minimumGuarantee', on ? { amount: '250000', period: 'quarter', carryForwardExcess: false } : undefined)
      }
    >
      <div className="row">
        <TermInput
          label={`Amount (${terms.currency})`}
          mark={mark('minimumGuarantee.amount')}
          value={guarantee?.amount ?? ''}
          onChange={(amount) => set('minimumGuarantee', { ...guarantee!, amount })}
        />
        <label>
          Per
          <select
            value={guarantee?.period}
            onChange={(e) => set('minimumGuarantee', { ...guarantee!, period: e.target.value as 'quarter' | 'year' })}
          >
            <option value="quarter">quarter</option>
            <option value="year">year</option>
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={guarantee?.carryForwardExcess ?? false}
            onChange={(e) => set('minimumGuarantee', { ...guarantee!, carryForwardExcess: e.target.checked })}
          />{' '}
          Excess carries forward
        </label>
      </div>
      {err('minimumGuarantee')}
      {err('minimumGuarantee.amount')}
    </OptionalTerm>
  )
}
