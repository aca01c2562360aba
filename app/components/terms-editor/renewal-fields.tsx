import type { ContractTerms } from '#services/rating/contract-terms.ts'
import type { TermsParts } from './editor-state.tsx'
import { TermInput } from './optional-term.tsx'

type Renewal = ContractTerms['term']['renewal']

/** A new renewal kind starts from the usual defaults: a year, with 90 days' notice. */
const renewalOf = (kind: string): Renewal =>
  kind === 'none'
    ? { kind: 'none' }
    : kind === 'automatic'
      ? { kind: 'automatic', periodMonths: 12, noticeDays: 90 }
      : { kind: 'by_agreement', noticeDays: 90 }

/** How the term renews: not at all, automatically for a period, or by agreement; with the notice to give. */
export function RenewalFields({ terms, set }: Pick<TermsParts, 'terms' | 'set'>) {
  const renewal = terms.term.renewal
  const setRenewal = (r: Renewal) => set('term', { ...terms.term, renewal: r })
  return (
    <div className="row">
      <label>
        Renewal
        <select value={renewal.kind} onChange={(e) => setRenewal(renewalOf(e.target.value))}>
          <option value="none">None</option>
          <option value="automatic">Automatic</option>
          <option value="by_agreement">By agreement</option>
        </select>
      </label>
      {renewal.kind === 'automatic' && (
        <TermInput
          type="number"
          min={1}
          label="Renews for (months)"
          value={renewal.periodMonths}
          onChange={(v) => setRenewal({ ...renewal, periodMonths: Number(v) })}
        />
      )}
      {renewal.kind !== 'none' && (
        <TermInput
          type="number"
          min={0}
          label="Notice (days)"
          value={renewal.noticeDays}
          onChange={(v) => setRenewal({ ...renewal, noticeDays: Number(v) })}
        />
      )}
    </div>
  )
}
