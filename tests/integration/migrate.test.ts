import { cp, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { defaultMigrationsDir, migrate, readMigrations } from '../../services/platform/db/migrate.ts'
import { createEmptyDatabase } from '../support/databases.ts'

describe('npm run db:migrate', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  it('records each migration in _prisma_migrations as Prisma does, and applies nothing twice', async () => {
    const db = await createEmptyDatabase()
    cleanups.push(db.drop)
    const first = await migrate(db.url)
    const files = await readMigrations()
    expect(first.applied).toEqual(files.map((f) => f.name))
    const second = await migrate(db.url)
    expect(second).toEqual({ applied: [], alreadyApplied: files.map((f) => f.name) })

    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    const { rows } = await client.query('SELECT * FROM "_prisma_migrations" ORDER BY started_at')
    const cols = await client.query(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = ` +
        `'_prisma_migrations' ORDER BY ordinal_position`,
    )
    await client.end()
    expect(cols.rows.map((c) => `${c.column_name}:${c.data_type}:${c.is_nullable}`)).toEqual([
      'id:character varying:NO',
      'checksum:character varying:NO',
      'finished_at:timestamp with time zone:YES',
      'migration_name:character varying:NO',
      'logs:text:YES',
      'rolled_back_at:timestamp with time zone:YES',
      'started_at:timestamp with time zone:NO',
      'applied_steps_count:integer:NO',
    ])
    expect(rows).toHaveLength(files.length)
    for (const [i, row] of rows.entries()) {
      expect(row.migration_name).toBe(files[i]!.name)
      expect(row.checksum).toBe(files[i]!.checksum)
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/)
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(row.finished_at).toBeInstanceOf(Date)
      expect(row.rolled_back_at).toBeNull()
      expect(row.applied_steps_count).toBe(1)
    }
  })

  it('refuses to continue when an applied migration was edited, and rolls back a failing one whole', async () => {
    const db = await createEmptyDatabase()
    cleanups.push(db.drop)
    const dir = await mkdtemp(path.join(tmpdir(), 'migrations-'))
    await cp(defaultMigrationsDir, dir, { recursive: true })
    await migrate(db.url, dir)

    const first = (await readMigrations(dir))[0]!
    await writeFile(path.join(dir, first.name, 'migration.sql'), `${first.sql}\n-- edited\n`)
    await expect(migrate(db.url, dir)).rejects.toThrow(/was edited after it was applied/)
    await writeFile(path.join(dir, first.name, 'migration.sql'), first.sql)

    const broken = path.join(dir, '29991231000000_broken')
    await cp(path.join(dir, first.name), broken, { recursive: true })
    await writeFile(path.join(broken, 'migration.sql'), 'CREATE TABLE "Half" (id TEXT);\nSELECT * FROM "DoesNotExist";')
    await expect(migrate(db.url, dir)).rejects.toThrow(/29991231000000_broken failed/)
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    const half = await client.query(`SELECT to_regclass('"Half"') AS t`)
    const row = await client.query(
      `SELECT finished_at, logs FROM "_prisma_migrations" WHERE migration_name = '29991231000000_broken'`,
    )
    await client.end()
    expect(half.rows[0].t).toBeNull()
    expect(row.rows[0].finished_at).toBeNull()
    expect(row.rows[0].logs).toMatch(/DoesNotExist/)
    await expect(migrate(db.url, dir)).rejects.toThrow(/failed earlier and is not rolled back/)
  })
})
