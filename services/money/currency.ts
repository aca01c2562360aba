// The currencies contracts may be written in, with their ISO 4217 minor-unit digits.
export const currencies = {
  USD: { digits: 2, symbol: '$' },
  EUR: { digits: 2, symbol: '€' },
  GBP: { digits: 2, symbol: '£' },
  JPY: { digits: 0, symbol: '¥' },
  CNY: { digits: 2, symbol: 'CN¥' },
  KRW: { digits: 0, symbol: '₩' },
  TWD: { digits: 2, symbol: 'NT$' },
  INR: { digits: 2, symbol: '₹' },
  CHF: { digits: 2, symbol: 'CHF ' },
} as const

export type Currency = keyof typeof currencies
export const currencyCodes = Object.keys(currencies) as Currency[]
export const minorDigits = (c: Currency): number => currencies[c].digits
