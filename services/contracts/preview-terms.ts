import { z } from 'zod'
import { formatMoney, money } from '../kernel/money/money.ts'
import { computePeriodCharges } from '../rating/compute-charges.ts'
import { validateContractTerms, type ContractKindName, type TermIssue } from '../rating/contract-terms.ts'
import { priceBookExceptions } from './price-book.ts'
import { errorMessage } from '../platform/errors/error-code.ts'

const sampleSchema = z.object({ units: z.record(z.string(), z.string()).default({}), revenue: z.string().default('') })

export interface TermsPreview {
  issues: TermIssue[]
  exceptions: string[]
  preview: { lines: { label: string; amount: string; trace: string[] }[]; total: string; notes: string[] } | null
}

/** The editor's live check: validation, price-book exceptions, and what a sample quarter would cost. */
export function previewTerms(kind: ContractKindName, rawTerms: unknown, rawSample: unknown): TermsPreview {
  const result = validateContractTerms(kind, rawTerms)
  if (!result.ok) return { issues: result.issues, exceptions: [], preview: null }
  const t = result.terms
  const sample = sampleSchema.safeParse(rawSample)
  const units: Record<string, number> = {}
  const issues: TermIssue[] = []
  for (const [band, text] of Object.entries(sample.success ? sample.data.units : {})) {
    if (text.trim() === '') continue
    const n = Number(text.replaceAll(',', ''))
    if (!Number.isSafeInteger(n) || n < 0)
      issues.push({ path: `sample.${band}`, message: `Sample units for “${band}” must be a whole number of devices.` })
    else units[band] = n
  }
  const revenue = sample.success && sample.data.revenue.trim() !== '' ? sample.data.revenue : undefined
  if (issues.length) return { issues, exceptions: priceBookExceptions(kind, t), preview: null }
  try {
    const charges = computePeriodCharges(
      t,
      { months: 3, unitsByBand: units, revenue },
      { closesGuaranteePeriod: t.minimumGuarantee?.period === 'quarter', includePilotFee: true },
    )
    const fmt = (minor: bigint) => formatMoney(money(minor, t.currency))
    return {
      issues: [],
      exceptions: priceBookExceptions(kind, t),
      preview: {
        lines: charges.lines.map((l) => ({ label: l.label, amount: fmt(l.amountMinor), trace: l.trace })),
        total: fmt(charges.invoiceTotalMinor),
        notes: charges.notes,
      },
    }
  } catch (e) {
    return {
      issues: [{ path: 'sample.revenue', message: `Sample revenue: ${errorMessage(e)}.` }],
      exceptions: priceBookExceptions(kind, t),
      preview: null,
    }
  }
}
