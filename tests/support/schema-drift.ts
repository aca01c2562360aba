import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { get_dmmf } from '@prisma/prisma-schema-wasm'
import pg from 'pg'

// Compares a migrated database with the Prisma datamodel: tables, columns (type, nullability,
// defaults), enums, primary keys, unique and plain indexes, foreign keys with their actions.
// Names follow Prisma's defaults (Table_col_key, Table_col_idx, Table_col_fkey).

interface DmmfField {
  name: string
  dbName?: string | null
  kind: 'scalar' | 'object' | 'enum' | 'unsupported'
  type: string
  isRequired: boolean
  isList: boolean
  isId: boolean
  isUpdatedAt: boolean
  hasDefaultValue: boolean
  default?: unknown
  nativeType?: [string, string[]] | null
  relationFromFields?: string[]
  relationToFields?: string[]
  relationOnDelete?: string
}
interface DmmfModel {
  name: string
  dbName: string | null
  fields: DmmfField[]
  primaryKey: { fields: string[] } | null
}
interface DmmfIndex {
  model: string
  type: 'id' | 'unique' | 'normal' | 'fulltext'
  dbName?: string | null
  fields: { name: string }[]
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[]
    enums: { name: string; dbName?: string | null; values: { name: string; dbName?: string | null }[] }[]
    indexes: DmmfIndex[]
  }
}

export const schemaDir = path.resolve('prisma/schema')

// Every file of the multi-file schema (decision 059) as [path, text], the form the schema engine
// takes for more than one file; sorted, so the same folder always reads the same.
export async function loadSchemaFiles(dir = schemaDir): Promise<[string, string][]> {
  const names = (await readdir(dir)).filter((name) => name.endsWith('.prisma')).sort()
  return Promise.all(
    names.map(async (name): Promise<[string, string]> => [name, await readFile(path.join(dir, name), 'utf8')]),
  )
}

export async function loadDatamodel(dir = schemaDir): Promise<Dmmf['datamodel']> {
  const prismaSchema = await loadSchemaFiles(dir)
  return (JSON.parse(get_dmmf(JSON.stringify({ prismaSchema }))) as Dmmf).datamodel
}

const scalarType: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Bytes: 'bytea',
}

function nativeTypeSql([name, args]: [string, string[]]): string {
  const a = args.length ? `(${args.join(',')})` : ''
  switch (name) {
    case 'VarChar':
      return `character varying${a}`
    case 'Char':
      return `character${a}`
    case 'Decimal':
      return `numeric${a}`
    case 'Timestamptz':
      return `timestamp${a || '(6)'} with time zone`
    case 'Timestamp':
      return `timestamp${a || '(6)'} without time zone`
    case 'Date':
      return 'date'
    case 'Uuid':
      return 'uuid'
    case 'Text':
      return 'text'
    case 'SmallInt':
      return 'smallint'
    case 'Integer':
      return 'integer'
    case 'BigInt':
      return 'bigint'
    case 'JsonB':
      return 'jsonb'
    case 'Json':
      return 'json'
    case 'ByteA':
      return 'bytea'
    case 'DoublePrecision':
      return 'double precision'
    case 'Inet':
      return 'inet'
    default:
      return name.toLowerCase()
  }
}

const onDeleteSql: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
}

export async function schemaDrift(connectionString: string, datamodel?: Dmmf['datamodel']): Promise<string[]> {
  const dm = datamodel ?? (await loadDatamodel())
  const client = new pg.Client({ connectionString })
  await client.connect()
  const problems: string[] = []
  try {
    const q = async <T>(sql: string) => (await client.query(sql)).rows as T[]
    const tables = new Set(
      (
        await q<{ t: string }>(
          `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = ` +
            `'BASE TABLE'`,
        )
      ).map((r) => r.t),
    )
    tables.delete('_prisma_migrations')
    const columns = await q<{ t: string; c: string; type: string; nullable: boolean; def: string | null }>(`
      SELECT c.relname AS t, a.attname AS c, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
             pg_get_expr(d.adbin, d.adrelid) AS def
      FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`)
    const indexes = await q<{ t: string; name: string; unique: boolean; primary: boolean; cols: string[] }>(`
      SELECT t.relname AS t, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
             array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS cols
      FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
      -- Partial unique indexes are rules Prisma cannot express; migrations own them, like CHECKs.
      WHERE n.nspname = 'public' AND ix.indpred IS NULL`)
    const fks = await q<{
      t: string
      name: string
      cols: string[]
      ref: string
      refcols: string[]
      del: string
      upd: string
    }>(`
      SELECT c.conrelid::regclass::text AS t, c.conname AS name,
        array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS cols,
        c.confrelid::regclass::text AS ref,
        array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o)
          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS refcols,
        CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN
          'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS del,
        CASE c.confupdtype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN
          'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS upd
      FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f'
        AND n.nspname = 'public'`)
    const enumValues = await q<{ name: string; values: string[] }>(`
      SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`)
    const unq = (s: string) => s.replace(/^"|"$/g, '')

    const modelTable = new Map(dm.models.map((m) => [m.name, m.dbName ?? m.name]))
    const colName = (m: DmmfModel, field: string) => {
      const f = m.fields.find((x) => x.name === field)
      return f?.dbName ?? field
    }

    for (const e of dm.enums) {
      const name = e.dbName ?? e.name
      const actual = enumValues.find((v) => v.name === name)
      const expected = e.values.map((v) => v.dbName ?? v.name)
      if (!actual) problems.push(`enum ${name} is missing`)
      else if (actual.values.join(',') !== expected.join(','))
        problems.push(`enum ${name} has values [${actual.values}] but the schema says [${expected}]`)
    }
    for (const v of enumValues)
      if (!dm.enums.some((e) => (e.dbName ?? e.name) === v.name))
        problems.push(`enum ${v.name} exists in the database but not in the schema`)

    for (const t of tables)
      if (![...modelTable.values()].includes(t)) problems.push(`table ${t} exists in the database but has no model`)

    for (const m of dm.models) {
      const table = m.dbName ?? m.name
      if (!tables.has(table)) {
        problems.push(`table ${table} (model ${m.name}) is missing`)
        continue
      }
      const scalars = m.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum')
      const actualCols = columns.filter((c) => c.t === table)
      for (const f of scalars) {
        const name = f.dbName ?? f.name
        const col = actualCols.find((c) => c.c === name)
        if (!col) {
          problems.push(`${table}.${name} is missing`)
          continue
        }
        const base =
          f.kind === 'enum'
            ? `"${f.type}"`
            : f.nativeType
              ? nativeTypeSql(f.nativeType)
              : (scalarType[f.type] ?? f.type)
        const expectedType = f.isList ? `${base}[]` : base
        if (unq(col.type) !== unq(expectedType))
          problems.push(`${table}.${name} has type ${col.type}, the schema says ${expectedType}`)
        if (col.nullable === f.isRequired && !f.isList)
          problems.push(
            `${table}.${name} is ${col.nullable ? 'nullable' : 'NOT NULL'}, the schema says ` +
              `${f.isRequired ? 'required' : 'optional'}`,
          )
        const d = f.default as { name?: string } | undefined
        const dbGenerated =
          d &&
          typeof d === 'object' &&
          (d.name === 'uuid' || d.name === 'cuid' || d.name === 'ulid' || d.name === 'nanoid')
        const expectsDbDefault = f.hasDefaultValue && !dbGenerated
        if (expectsDbDefault && col.def === null) problems.push(`${table}.${name} has no default, the schema has one`)
        if (!expectsDbDefault && col.def !== null)
          problems.push(`${table}.${name} has a default (${col.def}) the schema does not declare`)
        if (d && typeof d === 'object' && d.name === 'autoincrement' && !col.def?.startsWith('nextval('))
          problems.push(`${table}.${name} is not autoincrement`)
        if (d && typeof d === 'object' && d.name === 'now' && col.def !== 'CURRENT_TIMESTAMP')
          problems.push(`${table}.${name} default is ${col.def}, the schema says now()`)
      }
      for (const c of actualCols)
        if (!scalars.some((f) => (f.dbName ?? f.name) === c.c))
          problems.push(`${table}.${c.c} exists in the database but not in the schema`)

      const expectedIdx = dm.indexes
        .filter((i) => i.model === m.name)
        .map((i) => {
          const cols = i.fields.map((x) => colName(m, x.name))
          const suffix = i.type === 'id' ? 'pkey' : i.type === 'unique' ? 'key' : 'idx'
          return {
            name: i.dbName ?? (i.type === 'id' ? `${table}_pkey` : `${table}_${cols.join('_')}_${suffix}`),
            cols,
            unique: i.type !== 'normal',
            primary: i.type === 'id',
          }
        })
      const actualIdx = indexes.filter((i) => i.t === table)
      for (const e of expectedIdx) {
        const a = actualIdx.find((i) => i.name === e.name)
        if (!a) problems.push(`index ${e.name} on ${table}(${e.cols}) is missing`)
        else if (a.cols.join(',') !== e.cols.join(',') || a.unique !== e.unique || a.primary !== e.primary) {
          problems.push(
            `index ${e.name} is ${a.primary ? 'primary ' : a.unique ? 'unique ' : ''}on (${a.cols}), ` +
              `the schema says ${e.primary ? 'primary ' : e.unique ? 'unique ' : ''}on (${e.cols})`,
          )
        }
      }
      for (const a of actualIdx)
        if (!expectedIdx.some((e) => e.name === a.name))
          problems.push(`index ${a.name} on ${table}(${a.cols}) is not in the schema`)

      const relations = m.fields.filter((f) => f.kind === 'object' && f.relationFromFields?.length)
      const actualFks = fks.filter((f) => unq(f.t) === table)
      for (const r of relations) {
        const cols = r.relationFromFields!.map((x) => colName(m, x))
        const name = `${table}_${cols.join('_')}_fkey`
        const target = dm.models.find((x) => x.name === r.type)!
        const refTable = target.dbName ?? target.name
        const refCols = r.relationToFields!.map((x) => colName(target, x))
        const fromRequired = r.relationFromFields!.every((x) => m.fields.find((f) => f.name === x)?.isRequired)
        const del = onDeleteSql[r.relationOnDelete ?? (fromRequired ? 'Restrict' : 'SetNull')]
        const fk = actualFks.find((f) => f.name === name)
        if (!fk) problems.push(`foreign key ${name} is missing`)
        else {
          if (
            fk.cols.join(',') !== cols.join(',') ||
            unq(fk.ref) !== refTable ||
            fk.refcols.join(',') !== refCols.join(',')
          )
            problems.push(
              `foreign key ${name} points ${fk.cols} → ${fk.ref}(${fk.refcols}), the schema says ` +
                `${cols} → ${refTable}(${refCols})`,
            )
          if (fk.del !== del) problems.push(`foreign key ${name} is ON DELETE ${fk.del}, the schema says ${del}`)
          if (fk.upd !== 'CASCADE') problems.push(`foreign key ${name} is ON UPDATE ${fk.upd}, the schema says CASCADE`)
        }
      }
      for (const f of actualFks)
        if (
          !relations.some(
            (r) => `${table}_${r.relationFromFields!.map((x) => colName(m, x)).join('_')}_fkey` === f.name,
          )
        )
          problems.push(`foreign key ${f.name} is not in the schema`)
    }
  } finally {
    await client.end()
  }
  return problems
}

// The layout of prisma/schema/ (decision 059): the generator and datasource in schema.prisma and
// nothing else there; every other file is one context's and declares at least one model or enum;
// no model or enum is declared in two files. Read from the text, so a duplicate is named even
// though the schema engine would refuse the folder outright. Given the datamodel, each of its models
// and enums must be one this reading found, so a declaration the pattern misses cannot slip past.
const schemaBlock = /^[ \t]*(model|enum|view|type|generator|datasource)[ \t]+(\w+)[ \t]*\{/gm

export function schemaLayoutProblems(files: [string, string][], datamodel?: Dmmf['datamodel']): string[] {
  const problems: string[] = []
  const declaredIn = new Map<string, string[]>()
  if (!files.some(([file]) => file === 'schema.prisma')) problems.push('schema.prisma is missing')
  for (const [file, text] of files) {
    const setup: string[] = []
    const types: string[] = []
    for (const [, kind = '', name = ''] of text.matchAll(schemaBlock))
      (kind === 'generator' || kind === 'datasource' ? setup : types).push(name)
    if (file === 'schema.prisma') {
      if (types.length) problems.push(`schema.prisma declares ${types.join(', ')}: move them to their context's file`)
    } else {
      if (setup.length) problems.push(`${file} declares ${setup.join(', ')}: they belong in schema.prisma`)
      if (!types.length) problems.push(`${file} declares no model or enum`)
    }
    for (const name of types) declaredIn.set(name, [...(declaredIn.get(name) ?? []), file])
  }
  for (const [name, inFiles] of declaredIn)
    if (inFiles.length > 1) problems.push(`${name} is declared in ${inFiles.join(' and ')}`)
  for (const { name } of [...(datamodel?.models ?? []), ...(datamodel?.enums ?? [])])
    if (!declaredIn.has(name)) problems.push(`${name} is in the datamodel, but no file declares it`)
  return problems
}
