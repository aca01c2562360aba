/**
 * The one CSV writer of every export. A cell that a spreadsheet would run as a formula (=, +, -, @,
 * a tab or a carriage return first) is prefixed with an apostrophe, unless it is a plain number;
 * a cell holding a comma, a quote or any line break (a bare CR splits a row in Excel) is quoted.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  const s = typeof value === 'string' ? value : JSON.stringify(value)
  const plainNumber = /^-?\d+(\.\d+)?$/.test(s)
  const safe = !plainNumber && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}

export const csvRow = (cells: readonly unknown[]): string => `${cells.map(csvCell).join(',')}\n`

export const toCsv = (rows: readonly (readonly unknown[])[]): string => rows.map(csvRow).join('')
