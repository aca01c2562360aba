// Exact decimals as scaled bigints. Money is never a binary float here: amounts are parsed from
// decimal strings into integer minor units, rates into integer micro-units (10⁻⁶ of the major unit).

export class DecimalError extends Error {}

/** What a person is told about a number they typed: the DecimalError's message; anything else is a bug, rethrown. */
export function decimalMessage(e: unknown): string {
  if (e instanceof DecimalError) return e.message
  throw e
}

/**
 * "1,234.5" at scale 2 → 123450n. Refuses more fractional digits than the scale allows, and commas
 * that are not thousands groups: "1234,56" is a decimal comma (a European spreadsheet), and read as
 * grouping it would be 100 times the amount.
 */
export function parseDecimal(text: string, scale: number): bigint {
  const trimmed = text.trim()
  if (trimmed.includes(',') && !/^-?\d{1,3}(,\d{3})+(\.\d*)?$/.test(trimmed))
    throw new DecimalError(
      /^-?\d+,\d{1,2}$/.test(trimmed)
        ? `“${text}” uses a comma as the decimal mark: write ${trimmed.replace(',', '.')}`
        : `“${text}” has commas that are not thousands groups: write it like 1,234.56 or 1234.56`,
    )
  const s = trimmed.replaceAll(',', '').replaceAll('_', '')
  const m = /^(-)?(\d+)(?:\.(\d*))?$/.exec(s)
  if (!m) throw new DecimalError(`“${text}” is not a number`)
  const [, sign, whole, frac = ''] = m
  if (frac.length > scale)
    throw new DecimalError(`“${text}” has more than ${scale} decimal place${scale === 1 ? '' : 's'}`)
  const value = BigInt(whole!) * 10n ** BigInt(scale) + BigInt((frac + '0'.repeat(scale)).slice(0, scale) || '0')
  return sign ? -value : value
}

/** 123450n at scale 2 → "1234.50" (canonical: no grouping, exactly `scale` decimals). */
export function formatDecimal(value: bigint, scale: number): string {
  const neg = value < 0n
  const abs = neg ? -value : value
  const base = 10n ** BigInt(scale)
  const whole = abs / base
  const frac = (abs % base).toString().padStart(scale, '0')
  return `${neg ? '-' : ''}${whole}${scale ? `.${frac}` : ''}`
}

/** Groups thousands for display: "1234567.50" → "1,234,567.50". */
export function groupThousands(decimal: string): string {
  const [whole, frac] = decimal.split('.')
  const neg = whole!.startsWith('-')
  const digits = neg ? whole!.slice(1) : whole!
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${neg ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`
}

/** a / b rounded half to even (banker's rounding), the one rounding rule of the ledger. */
export function divRoundHalfEven(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new RangeError('division by zero')
  if (b < 0n) return divRoundHalfEven(-a, -b)
  const q = a / b
  const r = a % b
  const twice = (r < 0n ? -r : r) * 2n
  if (twice < b) return q
  if (twice > b) return a < 0n ? q - 1n : q + 1n
  return q % 2n === 0n ? q : a < 0n ? q - 1n : q + 1n
}
