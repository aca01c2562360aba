import { createHash, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import pg from 'pg'
import { provisionAppRole } from './app-role.ts'
import { errorMessage } from '../errors/error-code.ts'

// Applies prisma/migrations without Prisma's schema engine (it cannot be downloaded here) and
// records them in `_prisma_migrations` exactly as `prisma migrate deploy` does: same table, same
// checksum (SHA-256 of the file), same advisory lock, so Prisma's own tooling agrees wherever it runs.
const PRISMA_ADVISORY_LOCK = 72707369

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`

export interface MigrationFile {
  name: string
  sql: string
  checksum: string
}

export const defaultMigrationsDir = path.resolve(import.meta.dirname, '../../../prisma/migrations')

export async function readMigrations(dir = defaultMigrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(dir, name, 'migration.sql'))
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') }
    }),
  )
}

export interface MigrateResult {
  applied: string[]
  alreadyApplied: string[]
}

export async function migrate(connectionString: string, dir = defaultMigrationsDir): Promise<MigrateResult> {
  const client = new pg.Client({ connectionString })
  await client.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_ADVISORY_LOCK])
    await client.query(CREATE_MIGRATIONS_TABLE)
    const { rows } = await client.query<{
      migration_name: string
      checksum: string
      finished_at: Date | null
      rolled_back_at: Date | null
    }>('SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at')
    const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at)
    if (failed) {
      throw new Error(
        `Migration ${failed.migration_name} failed earlier and is not rolled back; fix the database, then ` +
          `mark it with \`prisma migrate resolve\` or delete its row in _prisma_migrations.`,
      )
    }
    const done = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r.checksum]))
    const result: MigrateResult = { applied: [], alreadyApplied: [] }
    for (const m of await readMigrations(dir)) {
      const recorded = done.get(m.name)
      if (recorded) {
        if (recorded !== m.checksum) {
          throw new Error(
            `Migration ${m.name} was edited after it was applied (checksum differs); add a new migration instead.`,
          )
        }
        result.alreadyApplied.push(m.name)
        continue
      }
      const id = randomUUID()
      await client.query(
        'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) ' +
          'VALUES ($1, $2, $3, now(), 0)',
        [id, m.checksum, m.name],
      )
      // Unlike Prisma we wrap each migration in a transaction: PostgreSQL DDL is transactional,
      // so a failed migration leaves nothing half-applied.
      try {
        await client.query('BEGIN')
        await client.query(m.sql)
        await client.query(
          'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
          [id],
        )
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK')
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, String(error)])
        throw new Error(`Migration ${m.name} failed: ${errorMessage(error)}`, { cause: error })
      }
      result.applied.push(m.name)
    }
    // The application's role and its grants, under the same lock: two migrators never grant at once.
    await provisionAppRole(client, connectionString)
    return result
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_ADVISORY_LOCK]).catch(() => {})
    await client.end()
  }
}

/**
 * For a process that holds only the app role's connection and so migrates nothing: refuses to start
 * while a migration of this build has not finished in the database (the release migrates first).
 */
export async function assertMigrated(appUrl: string, dir = defaultMigrationsDir): Promise<void> {
  const client = new pg.Client({ connectionString: appUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ migration_name: string }>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL',
    )
    const done = new Set(rows.map((r) => r.migration_name))
    const pending = (await readMigrations(dir)).map((m) => m.name).filter((name) => !done.has(name))
    if (pending.length)
      throw new Error(
        `${pending.length} migration${pending.length > 1 ? 's are' : ' is'} not applied (${pending.join(', ')}): ` +
          'run `npm run db:migrate` with the owner’s DATABASE_URL (fly.toml’s release_command) before starting.',
      )
  } finally {
    await client.end()
  }
}
