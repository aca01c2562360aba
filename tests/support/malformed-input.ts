import fc from 'fast-check'
import { db } from '../../services/platform/db/client.ts'

// Issue 24: the inputs of tests/property/malformed-input.property.test.ts and the oracle it judges
// them by (the database, table by table). Everything is drawn from one seed, so a failure reproduces.

/** Text no form field accepts as it is, or accepts only by refusing it with a message. */
const HOSTILE_TEXT = [
  '',
  ' ',
  'abc',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '-0.000001',
  '99999999999999999999999999',
  '2027-13-45',
  '2027-02-30',
  '12:75',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '{"a":',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  'a\u0000b',
  '\u0000',
  '%00',
  '0x1F',
  '1,000.00',
  '１２３',
  'x@',
  '@',
  '"; DROP TABLE "User"; --',
  '\u202e\u0646\u0635',
  '😀'.repeat(50),
]

/** A value a form can send: hostile text, random text, numbers as text, or one string of 300,000 characters. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  // Under the 1 MB form limit, over any field's own.
  { weight: 1, arbitrary: fc.constant('x'.repeat(300_000)) },
)

export type FormPairs = [string, string][]

const pair = (name: string, value: string): [string, string] => [name, value]

/** What a person would put in a field: what the page offers (a select's placeholder aside), else a number. */
export const filledIn = (vocabulary: Vocabulary, field: string): string[] => {
  const offered = (vocabulary.values[field] ?? []).filter((v) => v !== '')
  return offered.length ? offered : ['1']
}

/**
 * A form body that no form of the page sends: nothing, an intent nobody wrote, a real intent with
 * some or all of the known fields set to hostile text (or to a value the page offers, so a body gets
 * past its first check to the next), or every field twice.
 */
export function formBodies(vocabulary: Vocabulary): fc.Arbitrary<FormPairs> {
  const fields = vocabulary.fields.length ? vocabulary.fields : ['name']
  const intent: fc.Arbitrary<FormPairs> = vocabulary.intents.length
    ? fc.constantFrom(...vocabulary.intents).map((i): FormPairs => [['intent', i]])
    : fc.constant([])
  const valueOf = (field: string): fc.Arbitrary<string> => {
    const offered = vocabulary.values[field] ?? []
    return offered.length
      ? fc.oneof({ weight: 2, arbitrary: hostileText }, { weight: 1, arbitrary: fc.constantFrom(...offered) })
      : hostileText
  }
  const valuesFor = (names: string[]): fc.Arbitrary<FormPairs> =>
    fc.tuple(...names.map((n) => valueOf(n).map((v): [string, string] => [n, v])))
  // What a person would type where the page offers nothing: a number is a fine title, name or amount.
  const offered = fc.tuple(...fields.map((n) => fc.constantFrom(...filledIn(vocabulary, n)).map((v) => pair(n, v))))
  return fc.oneof(
    // The form as the page fills it in, with one field wrong: past the first checks to the deeper ones.
    {
      weight: 3,
      arbitrary: fc
        .tuple(intent, offered, fc.constantFrom(...fields), hostileText)
        .map(([i, ok, bad, t]): FormPairs => [...i, ...ok.filter(([n]) => n !== bad), [bad, t]]),
    },
    fc.constant<FormPairs>([]),
    hostileText.map((t): FormPairs => [['intent', t]]),
    fc.tuple(intent, fc.subarray(fields).chain(valuesFor)).map(([i, pairs]): FormPairs => [...i, ...pairs]),
    fc.tuple(intent, valuesFor(fields)).map(([i, pairs]): FormPairs => [...i, ...pairs]),
    fc
      .tuple(intent, fc.constantFrom(...fields), hostileText, hostileText)
      .map(([i, n, a, b]): FormPairs => [...i, [n, a], [n, b]]),
    fc
      .tuple(intent, fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), hostileText, { maxKeys: 4 }))
      .map(([i, extra]): FormPairs => [...i, ...Object.entries(extra)]),
  )
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every path into a JSON value, the value's own (empty) path first. */
export function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix]
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])))
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]))
  return out
}

const at = (value: Json, path: (string | number)[]): Json =>
  path.reduce<Json>((v, k) => (v as Record<string, Json>)[k as string]!, value)

function replaced(value: Json, path: (string | number)[], by: Json): Json {
  if (!path.length) return by
  const [head, ...rest] = path
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaced(v, rest, by) : v))
  const o = value as Record<string, Json>
  return { ...o, [head!]: replaced(o[head!]!, rest, by) }
}

/** The sample with the value at a dotted path (`Operations.0.value`) swapped for another. */
export const withValueAt = (sample: Json, path: string, value: Json): Json =>
  replaced(
    sample,
    path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
    value,
  )

/** Nested deeper than any body is read (MAX_JSON_DEPTH is 64). */
export const deeplyNested = (depth: number): Json => {
  let v: Json = 'bottom'
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v }
  return v
}

/** A value of another JSON type than `original`, or one of its own type that no schema should take. */
function wrongFor(original: Json): fc.Arbitrary<Json> {
  const others: Json[] = [null, true, 0, -1.5, 'abc', [], {}, ['x'], { value: 'x' }]
  const kind = (v: Json) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
  const crossType = others.filter((o) => kind(o) !== kind(original))
  const hostileOfItsType: Json[] =
    typeof original === 'string'
      ? ['nul\u0000inside', 'y'.repeat(300_000)]
      : typeof original === 'number'
        ? [1e308, -1e308]
        : Array.isArray(original)
          ? [Array.from({ length: 100_000 }, () => original[0] ?? 'x'), [deeplyNested(100)]]
          : original && typeof original === 'object'
            ? [deeplyNested(100) as Json]
            : []
  return fc.constantFrom(...crossType, ...hostileOfItsType)
}

/**
 * The sample body with one value (a field, an element, a nested object) swapped for a wrong one;
 * `unchecked` names paths (and what lies under them) left as they are.
 */
export function mutatedBodies(sample: Json, unchecked: string[] = []): fc.Arbitrary<{ path: string; body: Json }> {
  const inside = pathsOf(sample).filter(
    (p) => p.length > 0 && !unchecked.some((u) => `${p.join('.')}.`.startsWith(`${u}.`)),
  )
  const paths = inside.length ? inside : [[]]
  return fc
    .constantFrom(...paths)
    .chain((path) => wrongFor(at(sample, path)).map((v) => ({ path: path.join('.'), body: replaced(sample, path, v) })))
}

/** Bodies that are not the object an endpoint reads: broken JSON, other JSON types, an empty body. */
export const NOT_AN_OBJECT: { name: string; raw: string }[] = [
  { name: 'an empty body', raw: '' },
  { name: 'whitespace', raw: '  \n ' },
  { name: 'a truncated object', raw: '{"a": 1' },
  { name: 'single quotes', raw: "{'a': 1}" },
  { name: 'a trailing comma', raw: '{"a": 1,}' },
  { name: 'a bare word', raw: 'nul' },
  { name: 'a NUL byte', raw: '\u0000' },
  { name: 'an empty object', raw: '{}' },
  { name: 'an empty array', raw: '[]' },
  { name: 'an array of numbers', raw: '[1,2,3]' },
  { name: 'a string', raw: '"a string"' },
  { name: 'a number', raw: '42' },
  { name: 'null', raw: 'null' },
  { name: 'true', raw: 'true' },
  { name: 'brackets 100,000 deep', raw: '['.repeat(100_000) + ']'.repeat(100_000) },
  { name: 'an object 100 deep', raw: JSON.stringify(deeplyNested(100)) },
  { name: 'an array of 200,000 objects', raw: JSON.stringify(Array.from({ length: 200_000 }, () => ({}))) },
  { name: 'a NUL in a key', raw: '{"a\\u0000": 1}' },
]

export interface Ignored {
  /** Tables left out of the comparison, each with the reason a refused request may write to it. */
  tables: Record<string, string>
  /** Columns left out of a table's rows, each with its reason. */
  columns: Record<string, Record<string, string>>
  /** Rows left out of a table (an SQL condition on its columns), each with its reason. */
  rows: Record<string, { where: string; why: string }>
}

let tableNames: Promise<string[]> | undefined

/**
 * The database as a fingerprint: each table's row count and an md5 of its rows (as JSON, sorted),
 * leaving out what `ignored` names. One round trip for the whole database.
 */
export async function databaseFingerprint(ignored: Ignored): Promise<Map<string, string>> {
  tableNames ??= db()
    .$queryRawUnsafe<{ name: string }[]>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name NOT LIKE '\\_prisma%'
       ORDER BY 1`,
    )
    .then((rows) => rows.map((r) => r.name))
  const tables = (await tableNames).filter((t) => !(t in ignored.tables))
  const sql = tables
    .map((t) => {
      const columns = Object.keys(ignored.columns[t] ?? {})
      const row = columns.length
        ? `to_jsonb(t) - ARRAY[${columns.map((c) => `'${c}'`).join(',')}]::text[]`
        : `to_jsonb(t)`
      // A sum of row hashes: independent of row order, so no sort.
      const rows = `coalesce(sum(hashtextextended(r::text, 0)::numeric), 0)::text`
      return `SELECT '${t}' AS name, count(*)::text || ':' || ${rows} AS fingerprint
        FROM (SELECT ${row} AS r FROM "${t}" t ${ignored.rows[t] ? `WHERE NOT (${ignored.rows[t].where})` : ''}) s`
    })
    .join('\nUNION ALL\n')
  const rows = await db().$queryRawUnsafe<{ name: string; fingerprint: string }[]>(sql)
  return new Map(rows.map((r) => [r.name, r.fingerprint]))
}

/** The tables whose rows differ, as `Table rows:md5 → rows:md5`. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([t, f]) => before.get(t) !== f).map(([t, f]) => `${t} ${before.get(t)} → ${f}`)
}

export interface Vocabulary {
  fields: string[]
  intents: string[]
  files: string[]
  /** The values the page offers for a field: options of a select, hidden inputs, defaults. */
  values: Record<string, string[]>
}

/** Names, intents and values a route's forms send, read from its rendered pages and its module's source. */
export function vocabularyOf(html: string, source: string): Vocabulary {
  const fields = new Set<string>()
  const intents = new Set<string>()
  const files = new Set<string>()
  const values = new Map<string, Set<string>>()
  const offer = (field: string, value: string) => {
    if (value.length <= 10_000) (values.get(field) ?? values.set(field, new Set()).get(field)!).add(value)
  }
  const decode = (s: string) =>
    s
      .replaceAll('&quot;', '"')
      .replaceAll('&#x27;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&amp;', '&')
  const attributes = (tag: string) =>
    Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, decode(a[2]!)]))
  for (const tag of html.matchAll(/<(input|select|textarea|button)\b([^>]*)>/g)) {
    const attrs = attributes(tag[2]!)
    if (!attrs.name || attrs.name === 'csrf') continue
    if (attrs.name === 'intent') {
      if (attrs.value) intents.add(attrs.value)
    } else if (attrs.type === 'file') files.add(attrs.name)
    else {
      fields.add(attrs.name)
      if (attrs.value !== undefined) offer(attrs.name, attrs.value)
    }
  }
  for (const select of html.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attributes(select[1]!).name
    if (name) for (const o of select[2]!.matchAll(/<option\b([^>]*)>/g)) offer(name, attributes(o[1]!).value ?? '')
  }
  for (const area of html.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attributes(area[1]!).name
    if (name) offer(name, decode(area[2]!))
  }
  for (const m of source.matchAll(/intent\s*===?\s*'([^']+)'|z\.literal\('([^']+)'\)/g)) intents.add(m[1] ?? m[2]!)
  for (const m of source.matchAll(/\b(\w+): z\.|\.get\('(\w+)'\)/g)) fields.add(m[1] ?? m[2]!)
  for (const f of ['intent', 'csrf', ...files]) fields.delete(f)
  return {
    fields: [...fields].sort(),
    intents: [...intents].sort(),
    files: [...files].sort(),
    values: Object.fromEntries([...values].filter(([f]) => fields.has(f)).map(([f, v]) => [f, [...v].sort()])),
  }
}
