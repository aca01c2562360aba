import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { createDb, type Db } from '../services/platform/db/client.ts'
import { ensureDatabase, stopEmbeddedDatabase } from '../services/platform/db/ensure-database.ts'
import { migrate } from '../services/platform/db/migrate.ts'
import { closePgPool } from '../services/platform/db/pg-pool.ts'

/** A scratch database, migrated, for one benchmark; dropped afterwards. */
export async function withScratchDatabase<T>(fn: (db: Db, url: string) => Promise<T>): Promise<T> {
  process.env.DATA_DIR ??= '.data/bench'
  process.env.EMBEDDED_PG_PORT ??= '54331'
  const { url } = await ensureDatabase()
  const name = `ggml_bench_${randomBytes(4).toString('hex')}`
  const at = (db: string) => Object.assign(new URL(url), { pathname: `/${db}` }).toString()
  const admin = new pg.Client({ connectionString: at('postgres') })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  const db = createDb(at(name))
  try {
    await migrate(at(name))
    return await fn(db, at(name))
  } finally {
    await closePgPool()
    await db.$disconnect()
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
    await stopEmbeddedDatabase()
  }
}

export async function timed(fn: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - start) / 1e9
}

export function report(name: string, rows: { label: string; count: number; seconds: number }[], baselineLabel: string) {
  const base = rows.find((r) => r.label === baselineLabel)!
  console.log(`\n${name}`)
  for (const r of rows) {
    const rate = r.count / r.seconds
    const ratio = r.seconds / r.count / (base.seconds / base.count)
    console.log(`  ${r.label.padEnd(44)} ${rate.toFixed(0).padStart(8)} /s   ${ratio.toFixed(2)}× baseline time`)
  }
}

/** Runs `work` over the items with at most `n` at a time. */
export async function atMost<T>(n: number, items: T[], work: (item: T, index: number) => Promise<void>) {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++
        await work(items[i]!, i)
      }
    }),
  )
}
