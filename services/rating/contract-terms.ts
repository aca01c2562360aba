import { bookDay } from '../kernel/calendar/months.ts'
import { z } from 'zod'
import type { ContractKind } from '../platform/db/generated/enums.ts'
import { currencyCodes, minorDigits, type Currency } from '../kernel/money/currency.ts'
import { decimalMessage, formatDecimal, parseDecimal } from '../kernel/money/decimal.ts'
import { formatMoney, formatRateMicros, money } from '../kernel/money/money.ts'

/**
 * The terms of one contract version, as stored (canonical JSON) and as every computation reads them.
 * Amounts are decimal strings in the contract's currency ("50000.00"), per-device rates decimal
 * strings with up to six decimals ("0.25"), percentages with two ("5.00"): exact and readable.
 * A price band covers average selling prices from `minAsp` (inclusive) to `maxAsp` (exclusive);
 * a volume tier covers units shipped in the contract year from `fromUnits` to `toUnits` (exclusive).
 */

const isoDate = bookDay('Use a date like 2027-01-31.')
const decimalText = z.string().trim().min(1, 'Enter an amount.')
const names = (what: string) =>
  z.array(z.string().trim().min(1, `A ${what} cannot be empty.`).max(120)).min(1, `List at least one ${what}.`)

const tierSchema = z.object({
  fromUnits: z
    .number('Enter the first unit of the tier.')
    .int('Units are whole numbers.')
    .min(0, 'Units cannot be negative.'),
  toUnits: z.number().int('Units are whole numbers.').positive('Units must be positive.').nullable(),
  rate: decimalText,
})

const bandSchema = z.object({
  name: z.string().trim().min(1, 'Name the price band, like “Entry” or “Premium”.').max(60),
  minAsp: decimalText,
  maxAsp: decimalText.nullable(),
  tiers: z.array(tierSchema).min(1, 'A price band needs at least one rate tier.'),
})

export const renewalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('automatic'),
    periodMonths: z.number().int().min(1, 'Renew for at least one month.').max(60, 'Renew for at most 60 months.'),
    noticeDays: z.number().int().min(0).max(365, 'Notice can be at most 365 days.'),
  }),
  z.object({
    kind: z.literal('by_agreement'),
    noticeDays: z.number().int().min(0).max(365, 'Notice can be at most 365 days.'),
  }),
])

export const contractTermsSchema = z.object({
  currency: z.enum(currencyCodes, `Choose a currency: ${currencyCodes.join(', ')}.`),
  tier: z.string().trim().min(1, 'Name the partner tier, like “Tier 1”.').max(60),
  territory: names('territory'),
  products: names('product'),
  deviceClasses: names('device class'),
  term: z.object({ start: isoDate, end: isoDate, renewal: renewalSchema }),
  perDeviceRoyalty: z
    .object({
      tiering: z.enum(['graduated', 'volume'], 'Choose graduated or volume tiering.'),
      /** Volume only: crossing a tier re-prices the earlier periods of the contract year (a true-up). */
      retroactive: z.boolean().optional(),
      bands: z.array(bandSchema).min(1, 'Add at least one price band.'),
    })
    .optional(),
  baseFee: z
    .object({ amount: decimalText, period: z.enum(['month', 'quarter', 'year'], 'Choose month, quarter or year.') })
    .optional(),
  revenueShare: z.object({ percent: decimalText }).optional(),
  minimumGuarantee: z
    .object({
      amount: decimalText,
      period: z.enum(['quarter', 'year'], 'Choose quarter or year.'),
      carryForwardExcess: z.boolean(),
    })
    .optional(),
  prepaidAdvance: z.object({ amount: decimalText }).optional(),
  cap: z.object({ amount: decimalText }).optional(),
  pilotFee: z.object({ amount: decimalText }).optional(),
})

export type ContractTerms = z.infer<typeof contractTermsSchema>
export type PriceBand = z.infer<typeof bandSchema>
export type ContractKindName = ContractKind

/**
 * Stored terms (ContractVersion.terms, a JSON column) read back through their schema: parsed once at the
 * read, not cast (issue 27). Every version was validated when drafted, so a failure here is a bug.
 */
export const readContractTerms = (stored: unknown): ContractTerms => contractTermsSchema.parse(stored)

/** The terms of a version that may be missing (a contract without a signed or any version). */
export const termsOfVersion = (version: { terms: unknown } | null | undefined): ContractTerms | undefined =>
  version ? readContractTerms(version.terms) : undefined

export interface TermIssue {
  /** Dotted path into the terms, e.g. "perDeviceRoyalty.bands.1.minAsp". */
  path: string
  message: string
}

export type TermsResult = { ok: true; terms: ContractTerms } | { ok: false; issues: TermIssue[] }

const chargingComponents = [
  'perDeviceRoyalty',
  'baseFee',
  'revenueShare',
  'minimumGuarantee',
  'prepaidAdvance',
  'cap',
  'pilotFee',
] as const
const componentLabel: Record<(typeof chargingComponents)[number], string> = {
  perDeviceRoyalty: 'per-device royalty',
  baseFee: 'base license fee',
  revenueShare: 'revenue share',
  minimumGuarantee: 'minimum guarantee',
  prepaidAdvance: 'prepaid advance',
  cap: 'royalty cap',
  pilotFee: 'pilot fee',
}

/** Validates shape, arithmetic sense and the rules of the contract kind, and returns canonical terms. */
export function validateContractTerms(kind: ContractKindName, input: unknown): TermsResult {
  const shape = contractTermsSchema.safeParse(input)
  if (!shape.success) {
    return { ok: false, issues: shape.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) }
  }
  const t = shape.data
  const issues: TermIssue[] = []
  const c = t.currency
  const fmt = (minor: bigint) => formatMoney(money(minor, c))

  const amount = (path: string, text: string, opts: { positive?: boolean } = {}): bigint | undefined => {
    try {
      const v = parseDecimal(text, minorDigits(c))
      if (v < 0n) issues.push({ path, message: 'Amounts cannot be negative.' })
      else if (opts.positive && v === 0n) issues.push({ path, message: 'Enter an amount above zero.' })
      return v
    } catch (e) {
      issues.push({
        path,
        message: `${decimalMessage(e)}; ${c} amounts have ${minorDigits(c)} decimal places.`,
      })
      return undefined
    }
  }

  if (t.term.end <= t.term.start)
    issues.push({ path: 'term.end', message: `The term must end after it starts (${t.term.start}).` })

  const present = chargingComponents.filter((k) => t[k] !== undefined)
  if (kind === 'mou' && present.length) {
    for (const k of present)
      issues.push({
        path: k,
        message: `A memorandum of understanding is non-binding and charges nothing: remove the ${componentLabel[k]}.`,
      })
  }
  if (kind === 'paid_pilot') {
    if (!t.pilotFee) issues.push({ path: 'pilotFee', message: 'A paid pilot needs its pilot fee.' })
    for (const k of present.filter((k) => k !== 'pilotFee'))
      issues.push({
        path: k,
        message:
          `A paid pilot charges its pilot fee only: remove the ${componentLabel[k]}, or make this a ` +
          `production license.`,
      })
  }
  if (kind === 'production_license') {
    if (!t.perDeviceRoyalty && !t.baseFee && !t.revenueShare) {
      issues.push({
        path: 'perDeviceRoyalty',
        message:
          'A production license charges something: add a per-device royalty, a base license fee or a revenue share.',
      })
    }
    if (t.pilotFee)
      issues.push({ path: 'pilotFee', message: 'A pilot fee belongs in a paid pilot, not a production license.' })
  }

  if (t.perDeviceRoyalty) validateBands(t.perDeviceRoyalty.bands, c, issues, amount)
  if (t.perDeviceRoyalty?.retroactive && t.perDeviceRoyalty.tiering !== 'volume')
    issues.push({
      path: 'perDeviceRoyalty.retroactive',
      message: 'Only volume tiering can be retroactive: graduated tiers already price each unit at its own tier.',
    })
  if (t.baseFee) amount('baseFee.amount', t.baseFee.amount, { positive: true })
  if (t.pilotFee) amount('pilotFee.amount', t.pilotFee.amount, { positive: true })
  if (t.prepaidAdvance) amount('prepaidAdvance.amount', t.prepaidAdvance.amount, { positive: true })
  if (t.revenueShare) {
    try {
      const bps = parseDecimal(t.revenueShare.percent, 2)
      if (bps <= 0n || bps > 10000n)
        issues.push({ path: 'revenueShare.percent', message: 'A revenue share is between 0.01% and 100%.' })
    } catch (e) {
      issues.push({
        path: 'revenueShare.percent',
        message: `${decimalMessage(e)}; use a percentage like 7.5.`,
      })
    }
  }
  const mg = t.minimumGuarantee
    ? amount('minimumGuarantee.amount', t.minimumGuarantee.amount, { positive: true })
    : undefined
  const cap = t.cap ? amount('cap.amount', t.cap.amount, { positive: true }) : undefined
  if (t.minimumGuarantee && !t.perDeviceRoyalty && !t.revenueShare) {
    issues.push({
      path: 'minimumGuarantee',
      message:
        'A minimum guarantee guarantees royalties: add a per-device royalty or a revenue share, or remove the ' +
        'guarantee.',
    })
  }
  if (t.cap && !t.perDeviceRoyalty && !t.revenueShare)
    issues.push({
      path: 'cap',
      message: 'A cap limits royalties: add a per-device royalty or a revenue share, or remove the cap.',
    })
  if (mg !== undefined && cap !== undefined && t.minimumGuarantee) {
    const annualMg = t.minimumGuarantee.period === 'quarter' ? mg * 4n : mg
    if (cap < annualMg)
      issues.push({
        path: 'cap.amount',
        message:
          `The cap (${fmt(cap)} per contract year) is below the minimum guarantee ` +
          `(${fmt(annualMg)} per year): the partner could never earn the guarantee.`,
      })
  }

  if (issues.length) return { ok: false, issues }
  return { ok: true, terms: canonicalTerms(t) }
}

function validateBands(
  bands: PriceBand[],
  c: Currency,
  issues: TermIssue[],
  amount: (path: string, text: string, opts?: { positive?: boolean }) => bigint | undefined,
) {
  const fmt = (minor: bigint) => formatMoney(money(minor, c))
  const names = new Set<string>()
  let previousMax: bigint | null | undefined
  bands.forEach((band, i) => {
    const at = `perDeviceRoyalty.bands.${i}`
    if (names.has(band.name.toLowerCase()))
      issues.push({ path: `${at}.name`, message: `Two price bands are called “${band.name}”.` })
    names.add(band.name.toLowerCase())
    const min = amount(`${at}.minAsp`, band.minAsp)
    const max = band.maxAsp === null ? null : amount(`${at}.maxAsp`, band.maxAsp)
    if (min !== undefined && max !== undefined && max !== null && max <= min) {
      issues.push({
        path: `${at}.maxAsp`,
        message: `Band “${band.name}” must end above where it starts (${fmt(min)}).`,
      })
    }
    if (i === 0 && min !== undefined && min !== 0n)
      issues.push({
        path: `${at}.minAsp`,
        message: `The first price band must start at ${fmt(0n)}, or devices below ${fmt(min)} have no rate.`,
      })
    if (i > 0 && min !== undefined && previousMax !== undefined) {
      if (previousMax === null)
        issues.push({
          path: `${at}.minAsp`,
          message:
            `Band “${bands[i - 1]!.name}” has no upper limit, so band “${band.name}” overlaps it; ` +
            `give “${bands[i - 1]!.name}” a maximum.`,
        })
      else if (min > previousMax)
        issues.push({
          path: `${at}.minAsp`,
          message:
            `Band “${band.name}” starts at ${fmt(min)} but the band before ends at ` +
            `${fmt(previousMax)}: devices between ${fmt(previousMax)} and ${fmt(min)} have no rate.`,
        })
      else if (min < previousMax)
        issues.push({
          path: `${at}.minAsp`,
          message:
            `Band “${band.name}” starts at ${fmt(min)}, inside the band before (which ends at ` +
            `${fmt(previousMax)}): bands may not overlap.`,
        })
    }
    if (i === bands.length - 1 && max !== null && max !== undefined) {
      issues.push({
        path: `${at}.maxAsp`,
        message: `The last price band must have no maximum, or devices at ${fmt(max)} and above have no rate.`,
      })
    }
    previousMax = max
    band.tiers.forEach((tier, j) => {
      const tp = `${at}.tiers.${j}`
      try {
        const micros = parseDecimal(tier.rate, 6)
        if (micros < 0n) issues.push({ path: `${tp}.rate`, message: 'A rate cannot be negative.' })
      } catch (e) {
        issues.push({
          path: `${tp}.rate`,
          message: `${decimalMessage(e)}; rates have at most 6 decimal places.`,
        })
      }
      if (j === 0 && tier.fromUnits !== 0)
        issues.push({ path: `${tp}.fromUnits`, message: `The first tier of band “${band.name}” must start at unit 0.` })
      const prev = band.tiers[j - 1]
      if (prev) {
        if (prev.toUnits === null)
          issues.push({
            path: `${tp}.fromUnits`,
            message: `Tier ${j} of band “${band.name}” has no upper limit, so tier ${j + 1} can never apply.`,
          })
        else if (tier.fromUnits !== prev.toUnits) {
          issues.push({
            path: `${tp}.fromUnits`,
            message:
              tier.fromUnits > prev.toUnits
                ? `Tier ${j + 1} of band “${band.name}” starts at ${tier.fromUnits} units but tier ` +
                  `${j} ends at ${prev.toUnits}: units in between have no rate.`
                : `Tier ${j + 1} of band “${band.name}” starts at ${tier.fromUnits} units, inside tier ` +
                  `${j} (which ends at ${prev.toUnits}): tiers must ascend without overlap.`,
          })
        }
      }
      if (tier.toUnits !== null && tier.toUnits <= tier.fromUnits)
        issues.push({
          path: `${tp}.toUnits`,
          message: `Tier ${j + 1} of band “${band.name}” must end above ${tier.fromUnits} units.`,
        })
      if (j === band.tiers.length - 1 && tier.toUnits !== null)
        issues.push({
          path: `${tp}.toUnits`,
          message:
            `The last tier of band “${band.name}” must have no upper limit, or units beyond ` +
            `${tier.toUnits} have no rate.`,
        })
    })
  })
}

/** One spelling for every number, so equal terms hash equally and diffs show real changes only. */
function canonicalTerms(t: ContractTerms): ContractTerms {
  const d = minorDigits(t.currency)
  const amt = (s: string) => formatDecimal(parseDecimal(s, d), d)
  const rate = (s: string) => {
    let r = formatDecimal(parseDecimal(s, 6), 6)
    while (r.endsWith('0') && r.split('.')[1]!.length > Math.max(d, 2)) r = r.slice(0, -1)
    return r
  }
  return {
    currency: t.currency,
    tier: t.tier,
    territory: t.territory,
    products: t.products,
    deviceClasses: t.deviceClasses,
    term: t.term,
    ...(t.perDeviceRoyalty && {
      perDeviceRoyalty: {
        tiering: t.perDeviceRoyalty.tiering,
        ...(t.perDeviceRoyalty.tiering === 'volume' && t.perDeviceRoyalty.retroactive && { retroactive: true }),
        bands: t.perDeviceRoyalty.bands.map((b) => ({
          name: b.name,
          minAsp: amt(b.minAsp),
          maxAsp: b.maxAsp === null ? null : amt(b.maxAsp),
          tiers: b.tiers.map((x) => ({ fromUnits: x.fromUnits, toUnits: x.toUnits, rate: rate(x.rate) })),
        })),
      },
    }),
    ...(t.baseFee && { baseFee: { amount: amt(t.baseFee.amount), period: t.baseFee.period } }),
    ...(t.revenueShare && { revenueShare: { percent: formatDecimal(parseDecimal(t.revenueShare.percent, 2), 2) } }),
    ...(t.minimumGuarantee && { minimumGuarantee: { ...t.minimumGuarantee, amount: amt(t.minimumGuarantee.amount) } }),
    ...(t.prepaidAdvance && { prepaidAdvance: { amount: amt(t.prepaidAdvance.amount) } }),
    ...(t.cap && { cap: { amount: amt(t.cap.amount) } }),
    ...(t.pilotFee && { pilotFee: { amount: amt(t.pilotFee.amount) } }),
  }
}

export const amountOf = (t: ContractTerms, text: string): bigint => parseDecimal(text, minorDigits(t.currency))
export const rateMicrosOf = (text: string): bigint => parseDecimal(text, 6)
export const percentBpsOf = (text: string): bigint => parseDecimal(text, 2)
export const describeRate = (t: ContractTerms, text: string): string => formatRateMicros(rateMicrosOf(text), t.currency)
