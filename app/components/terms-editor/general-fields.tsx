import type { ContractTerms } from '#services/rating/contract-terms.ts'
import { list, type TermsParts } from './editor-state.tsx'
import { TermInput } from './optional-term.tsx'
import { RenewalFields } from './renewal-fields.tsx'

const currencies = ['USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'] as const

/** Who, where and how long: currency, tier, territory, products, device classes, the term and its renewal. */
export function GeneralFields({ terms, set, err, mark }: TermsParts) {
  return (
    <fieldset className="card">
      <legend>General</legend>
      <div className="row">
        <label>
          Currency
          <select
            {...mark('currency')}
            value={terms.currency}
            onChange={(e) => set('currency', e.target.value as ContractTerms['currency'])}
          >
            {currencies.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <TermInput label="Partner tier" mark={mark('tier')} value={terms.tier} onChange={(v) => set('tier', v)} />
      </div>
      {err('currency')}
      {err('tier')}
      <label>
        Territory (comma-separated)
        <input
          {...mark('territory')}
          defaultValue={terms.territory.join(', ')}
          onChange={(e) => set('territory', list(e.target.value))}
        />
      </label>
      {err('territory')}
      <label>
        Products
        <input
          {...mark('products')}
          defaultValue={terms.products.join(', ')}
          onChange={(e) => set('products', list(e.target.value))}
        />
      </label>
      {err('products')}
      <label>
        Device classes
        <input
          {...mark('deviceClasses')}
          defaultValue={terms.deviceClasses.join(', ')}
          onChange={(e) => set('deviceClasses', list(e.target.value))}
        />
      </label>
      {err('deviceClasses')}
      <div className="row">
        <TermInput
          type="date"
          label="Term starts"
          mark={mark('term.start')}
          value={terms.term.start}
          onChange={(start) => set('term', { ...terms.term, start })}
        />
        <TermInput
          type="date"
          label="Term ends"
          mark={mark('term.end')}
          value={terms.term.end}
          onChange={(end) => set('term', { ...terms.term, end })}
        />
      </div>
      {err('term.start')}
      {err('term.end')}
      <RenewalFields terms={terms} set={set} />
    </fieldset>
  )
}
