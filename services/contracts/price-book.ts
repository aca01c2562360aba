import type { Currency } from '../kernel/money/currency.ts'
import { formatMoney, formatRateMicros, money } from '../kernel/money/money.ts'
import {
  amountOf,
  percentBpsOf,
  rateMicrosOf,
  type ContractKindName,
  type ContractTerms,
} from '../rating/contract-terms.ts'

/**
 * The standard price book. Terms inside it can be sent without finance; anything outside it (a rate
 * under the floor of its price band, a small revenue share, a long term, …) needs finance's approval.
 * Floors follow the strategy's $0.25–$2.00 per device scaled by the device's selling price.
 */
interface Book {
  /** Royalty floor per unit by the lowest ASP a band covers. */
  royaltyFloors: { fromAsp: string; floor: string }[]
  minRevenueSharePercent: string
  minBaseFeePerYear: string
  minPilotFee: string
  maxTermMonths: number
}

const usdLike: Book = {
  royaltyFloors: [
    { fromAsp: '0', floor: '0.25' },
    { fromAsp: '100', floor: '0.50' },
    { fromAsp: '500', floor: '1.00' },
  ],
  minRevenueSharePercent: '5.00',
  minBaseFeePerYear: '50000',
  minPilotFee: '50000',
  maxTermMonths: 60,
}

export const priceBooks: Partial<Record<Currency, Book>> = { USD: usdLike, EUR: usdLike, GBP: usdLike, CHF: usdLike }

const monthsBetween = (start: string, end: string) => {
  const [y1 = 0, m1 = 0, d1 = 0] = start.split('-').map(Number)
  const [y2 = 0, m2 = 0, d2 = 0] = end.split('-').map(Number)
  return (y2 - y1) * 12 + (m2 - m1) + (d2 > d1 ? 1 : 0)
}

/** Each reason these terms need finance's approval; empty when they are standard. */
export function priceBookExceptions(kind: ContractKindName, t: ContractTerms): string[] {
  if (kind === 'mou') return []
  const book = priceBooks[t.currency]
  if (!book)
    return [`There is no standard price book for ${t.currency}: every ${t.currency} contract needs finance’s approval.`]
  const reasons: string[] = []
  const fmt = (minor: bigint) => formatMoney(money(minor, t.currency))
  const floorFor = (minAspMinor: bigint) => {
    let floor = 0n
    for (const f of book.royaltyFloors) if (minAspMinor >= amountOf(t, f.fromAsp)) floor = rateMicrosOf(f.floor)
    return floor
  }
  for (const band of t.perDeviceRoyalty?.bands ?? []) {
    const floor = floorFor(amountOf(t, band.minAsp))
    band.tiers.forEach((tier, i) => {
      if (rateMicrosOf(tier.rate) < floor) {
        reasons.push(
          `Band “${band.name}” tier ${i + 1} charges ${formatRateMicros(rateMicrosOf(tier.rate), t.currency)} ` +
            `per device, under the ${formatRateMicros(floor, t.currency)} floor for devices from ` +
            `${fmt(amountOf(t, band.minAsp))}.`,
        )
      }
    })
  }
  if (t.revenueShare && percentBpsOf(t.revenueShare.percent) < percentBpsOf(book.minRevenueSharePercent)) {
    reasons.push(
      `A revenue share of ${t.revenueShare.percent}% is under the standard minimum of ${book.minRevenueSharePercent}%.`,
    )
  }
  if (t.baseFee) {
    const perYear = amountOf(t, t.baseFee.amount) * ({ month: 12n, quarter: 4n, year: 1n } as const)[t.baseFee.period]
    const min = amountOf(t, book.minBaseFeePerYear)
    if (perYear < min)
      reasons.push(`A base license fee of ${fmt(perYear)} per year is under the standard minimum of ${fmt(min)}.`)
  }
  if (t.pilotFee && amountOf(t, t.pilotFee.amount) < amountOf(t, book.minPilotFee)) {
    reasons.push(
      `A pilot fee of ${fmt(amountOf(t, t.pilotFee.amount))} is under the standard minimum of ` +
        `${fmt(amountOf(t, book.minPilotFee))}.`,
    )
  }
  const months = monthsBetween(t.term.start, t.term.end)
  if (months > book.maxTermMonths)
    reasons.push(`A term of ${months} months is longer than the standard ${book.maxTermMonths}.`)
  return reasons
}
