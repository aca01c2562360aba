import { formatMoney, money } from '../kernel/money/money.ts'
import { amountOf, describeRate, type ContractKindName, type ContractTerms } from '../rating/contract-terms.ts'

export const kindLabel: Record<ContractKindName, string> = {
  mou: 'Memorandum of understanding (non-binding)',
  paid_pilot: 'Paid pilot',
  production_license: 'Production license',
}

export interface TermRow {
  /** Stable key, used to line versions up side by side. */
  key: string
  label: string
  value: string
}

/** The terms as rows a person reads: the PDF's table, the portal's summary and the version diff. */
export function describeTerms(kind: ContractKindName, t: ContractTerms): TermRow[] {
  const fmt = (s: string) => formatMoney(money(amountOf(t, s), t.currency))
  const rows: TermRow[] = [
    { key: 'kind', label: 'Agreement', value: kindLabel[kind] },
    { key: 'tier', label: 'Partner tier', value: t.tier },
    { key: 'territory', label: 'Territory', value: t.territory.join(', ') },
    { key: 'products', label: 'Products', value: t.products.join(', ') },
    { key: 'deviceClasses', label: 'Device classes', value: t.deviceClasses.join(', ') },
    { key: 'term', label: 'Term', value: `${t.term.start} to ${t.term.end}` },
    {
      key: 'renewal',
      label: 'Renewal',
      value:
        t.term.renewal.kind === 'none'
          ? 'Ends at the end of the term'
          : t.term.renewal.kind === 'automatic'
            ? `Renews automatically for ${t.term.renewal.periodMonths} months unless either party gives ` +
              `${t.term.renewal.noticeDays} days’ notice`
            : `Renewal by mutual agreement; notice ${t.term.renewal.noticeDays} days before the end`,
    },
    { key: 'currency', label: 'Currency', value: t.currency },
  ]
  const r = t.perDeviceRoyalty
  if (r) {
    rows.push({
      key: 'royalty.tiering',
      label: 'Per-device royalty',
      value:
        r.tiering === 'graduated'
          ? 'Graduated: each band of units at its own rate, counted per contract year'
          : r.retroactive
            ? 'Volume, retroactive: all units of the contract year at the rate of the tier reached; crossing a ' +
              'tier re-prices the earlier periods of the year (a true-up)'
            : 'Volume: each period’s units at the rate of the tier the contract year has reached',
    })
    for (const band of r.bands) {
      const asp =
        band.maxAsp === null
          ? `ASP ${fmt(band.minAsp)} and above`
          : `ASP ${fmt(band.minAsp)} to under ${fmt(band.maxAsp)}`
      const tiers = band.tiers
        .map(
          (x) =>
            (x.toUnits === null
              ? `${x.fromUnits.toLocaleString('en-US')}+ units`
              : `${x.fromUnits.toLocaleString('en-US')}–${(x.toUnits - 1).toLocaleString('en-US')} units`) +
            `: ${describeRate(t, x.rate)} per device`,
        )
        .join('; ')
      rows.push({ key: `royalty.band.${band.name}`, label: `Band “${band.name}” (${asp})`, value: tiers })
    }
  }
  if (t.baseFee)
    rows.push({ key: 'baseFee', label: 'Base license fee', value: `${fmt(t.baseFee.amount)} per ${t.baseFee.period}` })
  if (t.revenueShare)
    rows.push({
      key: 'revenueShare',
      label: 'Revenue share',
      value: `${t.revenueShare.percent}% of AI-related revenue`,
    })
  if (t.minimumGuarantee) {
    rows.push({
      key: 'minimumGuarantee',
      label: 'Minimum guarantee',
      value:
        `${fmt(t.minimumGuarantee.amount)} of royalties per ${t.minimumGuarantee.period}; a shortfall ` +
        `is invoiced at the end of the period; excess ` +
        `${t.minimumGuarantee.carryForwardExcess ? 'carries forward' : 'does not carry forward'}`,
    })
  }
  if (t.prepaidAdvance)
    rows.push({
      key: 'prepaidAdvance',
      label: 'Prepaid advance',
      value:
        `${fmt(t.prepaidAdvance.amount)}, paid up front and recouped from royalties before anything ` +
        `else is invoiced`,
    })
  if (t.cap)
    rows.push({
      key: 'cap',
      label: 'Royalty cap',
      value: `At most ${fmt(t.cap.amount)} of royalties per contract year`,
    })
  if (t.pilotFee)
    rows.push({ key: 'pilotFee', label: 'Pilot fee', value: `${fmt(t.pilotFee.amount)}, invoiced on signature` })
  return rows
}

export interface TermChange {
  key: string
  label: string
  before: string | null
  after: string | null
}

/** What changed between two versions, row by row. */
export function diffTerms(before: TermRow[], after: TermRow[]): TermChange[] {
  const keys = [...new Set([...before.map((r) => r.key), ...after.map((r) => r.key)])]
  return keys
    .map((key) => {
      const b = before.find((r) => r.key === key)
      const a = after.find((r) => r.key === key)
      return { key, label: (a ?? b)!.label, before: b?.value ?? null, after: a?.value ?? null }
    })
    .filter((c) => c.before !== c.after)
}
