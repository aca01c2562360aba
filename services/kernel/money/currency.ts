// The currencies contracts may be written in, with their ISO 4217 minor-unit digits.
export const currencyCodes = ['USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'] as const

export type Currency = (typeof currencyCodes)[number]

export const currencies: { readonly [C in Currency]: { readonly digits: number; readonly symbol: string } } = {
  USD: { digits: 2, symbol: '$' },
  EUR: { digits: 2, symbol: '€' },
  GBP: { digits: 2, symbol: '£' },
  JPY: { digits: 0, symbol: '¥' },
  CNY: { digits: 2, symbol: 'CN¥' },
  KRW: { digits: 0, symbol: '₩' },
  TWD: { digits: 2, symbol: 'NT$' },
  INR: { digits: 2, symbol: '₹' },
  CHF: { digits: 2, symbol: 'CHF ' },
}

export const minorDigits = (c: Currency): number => currencies[c].digits

export const isCurrency = (code: string): code is Currency => Object.hasOwn(currencies, code)

/**
 * A currency code read back from the database (issue 27: parsed, not cast). Every currency column has a
 * CHECK constraint naming the same codes, so a code outside them is a bug, not bad input: it throws.
 */
export function toCurrency(code: string): Currency {
  if (isCurrency(code)) return code
  throw new Error(`“${code}” is not a supported currency (${currencyCodes.join(', ')}).`)
}
