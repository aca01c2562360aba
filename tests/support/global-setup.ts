import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { Redis } from 'ioredis'
import type { TestProject } from 'vitest/node'
import { ensureDatabase, stopEmbeddedDatabase } from '../../services/platform/db/ensure-database.ts'
import { APP_ROLE } from '../../services/platform/db/app-role.ts'
import { migrate } from '../../services/platform/db/migrate.ts'
import { ensureRedis } from '../../services/platform/redis/ensure-redis.ts'

// One template database built from the migrations, then one clone per vitest worker: each worker
// gets real constraints and a database nobody else writes to, in milliseconds. The URLs are the
// owner's, as DATABASE_URL is in production; the code under test connects as the app role.
const WORKERS = 2

declare module 'vitest' {
  export interface ProvidedContext {
    workerDatabaseUrls: string[]
    templateDatabaseUrl: string
    redisUrl: string
    runId: string
  }
}

const withDb = (url: string, name: string) => {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

export default async function setup(project: TestProject) {
  process.env.DATA_DIR ??= '.data/test'
  if (process.env.TEST_DATABASE_URL) process.env.DATABASE_URL = process.env.TEST_DATABASE_URL
  process.env.EMBEDDED_PG_PORT ??= '54330'
  const { url } = await ensureDatabase()
  const redisUrl = await ensureRedis()
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: withDb(url, 'postgres') })
  await admin.connect()
  const template = `ggml_test_tpl_${runId}`
  await admin.query(`CREATE DATABASE "${template}"`)
  await migrate(withDb(url, template))
  const workers: string[] = []
  for (let i = 1; i <= WORKERS; i++) {
    const name = `ggml_test_${runId}_w${i}`
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
    // A clone copies the template's tables with their grants, but not the database's own.
    await admin.query(`GRANT CONNECT ON DATABASE "${name}" TO ${APP_ROLE}`)
    workers.push(withDb(url, name))
  }
  project.provide('workerDatabaseUrls', workers)
  project.provide('templateDatabaseUrl', withDb(url, template))
  project.provide('redisUrl', redisUrl)
  project.provide('runId', runId)

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [
      `ggml_test_%${runId}%`,
    ])
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`)
    await admin.end()
    await deleteRedisKeys(redisUrl, `test_${runId}_*`)
    await stopEmbeddedDatabase()
  }
}

/** Queues and rate-limit counters of this run, so a developer's Redis does not fill up with them. */
async function deleteRedisKeys(url: string, pattern: string) {
  const redis = new Redis(url)
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    if (keys.length) await redis.del(...keys)
    cursor = next
  } while (cursor !== '0')
  redis.disconnect()
}
