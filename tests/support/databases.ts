import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'

const withDb = (url: string, name: string) => {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

/** A brand-new database for tests that must start from nothing (migrations, drift). */
export async function createEmptyDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = inject('templateDatabaseUrl')
  const name = `ggml_test_${inject('runId')}_empty_${randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: withDb(base, 'postgres') })
  await admin.connect()
  await admin.query(`CREATE DATABASE "${name}"`)
  await admin.end()
  return {
    url: withDb(base, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: withDb(base, 'postgres') })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await c.end()
    },
  }
}
