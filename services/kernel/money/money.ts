import { currencies, minorDigits, type Currency } from './currency.ts'
import { divRoundHalfEven, formatDecimal, groupThousands, parseDecimal } from './decimal.ts'

// The one money type: integer minor units of one currency.
export interface Money {
  minor: bigint
  currency: Currency
}

export const MICROS = 1_000_000n

export const money = (minor: bigint, currency: Currency): Money => ({ minor, currency })

export function parseMoney(text: string, currency: Currency): Money {
  return money(parseDecimal(text, minorDigits(currency)), currency)
}

/** Canonical decimal string in major units: "50000.00" (JPY: "50000"). */
export const moneyDecimal = (m: Money): string => formatDecimal(m.minor, minorDigits(m.currency))

/** For people: "$50,000.00", "€0.25". */
export function formatMoney(m: Money): string {
  const d = groupThousands(moneyDecimal(m))
  const sym = currencies[m.currency].symbol
  return d.startsWith('-') ? `-${sym}${d.slice(1)}` : `${sym}${d}`
}

/** Converts an exact amount in micro-units (10⁻⁶ major) to minor units, rounding half to even. */
export function microsToMinor(micros: bigint, currency: Currency): bigint {
  return divRoundHalfEven(micros, 10n ** BigInt(6 - minorDigits(currency)))
}

export const minorToMicros = (minor: bigint, currency: Currency): bigint =>
  minor * 10n ** BigInt(6 - minorDigits(currency))

/** A per-unit rate in micro-units, shown with as many decimals as it needs (at least the currency's). */
export function formatRateMicros(micros: bigint, currency: Currency): string {
  let s = formatDecimal(micros, 6)
  const keep = minorDigits(currency)
  while (s.includes('.') && s.endsWith('0') && s.split('.')[1]!.length > keep) s = s.slice(0, -1)
  if (s.endsWith('.')) s = s.slice(0, -1)
  const sym = currencies[currency].symbol
  return `${sym}${groupThousands(s)}`
}
