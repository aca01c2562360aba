import type { LlamaBenchRecord } from './llama-bench.ts'

/**
 * llama-bench's own output formats, so the community's tools and tables compare with ours:
 * `-o json` (an array of records) and `-o sql` (CREATE TABLE test + one INSERT per record).
 * Fields we do not know keep their value: nothing a runner measured is dropped.
 */
export const toLlamaBenchJson = (records: LlamaBenchRecord[]): string => `${JSON.stringify(records, null, 2)}\n`

const sqlType = (v: unknown) =>
  typeof v === 'boolean' ? 'INTEGER' : typeof v === 'number' ? (Number.isInteger(v) ? 'INTEGER' : 'REAL') : 'TEXT'
const sqlValue = (v: unknown) =>
  typeof v === 'number'
    ? Number.isFinite(v)
      ? String(v)
      : 'NULL'
    : `'${(typeof v === 'string' ? v : JSON.stringify(v)).replaceAll("'", "''")}'`
/** Every column name is quoted (a runner chooses the keys): a key cannot become SQL (issue 10). */
const sqlName = (name: string) => `"${name.replaceAll('"', '""')}"`

export function toLlamaBenchSql(records: LlamaBenchRecord[]): string {
  if (!records.length) return ''
  const columns = [...new Set(records.flatMap((r) => Object.keys(r)))]
  const first = records[0] as Record<string, unknown>
  const lines = [
    `CREATE TABLE IF NOT EXISTS test (\n${columns.map((c) => `  ${sqlName(c)} ${sqlType(first[c])}`).join(',\n')}\n);`,
  ]
  for (const r of records as Record<string, unknown>[]) {
    const value = (c: string) => {
      const v = r[c]
      return Array.isArray(v)
        ? sqlValue(v.join(','))
        : typeof v === 'boolean'
          ? v
            ? '1'
            : '0'
          : v === undefined
            ? 'NULL'
            : sqlValue(v)
    }
    lines.push(`INSERT INTO test (${columns.map(sqlName).join(', ')}) VALUES (${columns.map(value).join(', ')});`)
  }
  return `${lines.join('\n')}\n`
}
