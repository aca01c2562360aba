import { AppError } from '../platform/errors/app-error.ts'
import { minorDigits, toCurrency } from '../kernel/money/currency.ts'
import { decimalMessage, parseDecimal } from '../kernel/money/decimal.ts'
import { formatMoney } from '../kernel/money/money.ts'

/** An amount typed by a person ("12,500.00") in the engagement's currency, as minor units, above zero. */
export function parseAmount(text: string, currency: string, field: string, what = 'the amount'): bigint {
  const digits = minorDigits(toCurrency(currency))
  let minor: bigint
  try {
    minor = parseDecimal(text.replaceAll(',', ''), digits)
  } catch (e) {
    throw new AppError('invalid_input', `Check ${what}.`, { [field]: [decimalMessage(e)] })
  }
  if (minor <= 0n) throw new AppError('invalid_input', `Check ${what}.`, { [field]: ['Enter more than zero.'] })
  return minor
}

export const moneyIn = (minor: bigint, currency: string) => formatMoney({ minor, currency: toCurrency(currency) })
