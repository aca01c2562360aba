import pg from 'pg'
import { appDatabaseUrl } from '../db/app-role.ts'
import { logger } from '../observability/logger.ts'
import { singleton } from '../singleton.ts'
import { redis } from '../redis/connection.ts'
import { errorMessage } from '../errors/error-code.ts'

export interface Health {
  ok: boolean
  checks: { database: 'ok' | string; redis: 'ok' | string }
}

/**
 * What a web process needs to serve is PostgreSQL: jobs wait in the outbox and rate limits count in the
 * process while Redis is away, so a Redis outage no longer takes every web machine out of rotation. The
 * worker, which can do nothing without Redis, still needs both (server/worker.ts).
 */
export const webReady = (health: Health) => health.checks.database === 'ok'

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))])

/**
 * Readiness asks PostgreSQL on a connection of its own, not one of the pools requests use: under load
 * the request pools are full, and a check that queued behind them timed out and took healthy machines
 * out of rotation at peak.
 */
const probe = () =>
  singleton('health-probe', () => {
    const pool = new pg.Pool({ connectionString: appDatabaseUrl(), max: 1, connectionTimeoutMillis: 2000 })
    pool.on('error', (err) => logger().warn({ err }, 'health probe connection ended'))
    pool.on('connect', (client) => client.on('error', () => {}))
    return pool
  })

// One answer serves every check within a second: a burst of probes asks the database once.
let last: { at: number; health: Promise<Health> } | undefined

/** What the database and Redis answer; `ok` when both do. Liveness (the process answers) needs no check. */
export function checkHealth(): Promise<Health> {
  if (last && performance.now() - last.at < 1000) return last.health
  const health = (async () => {
    const [database, cache] = await Promise.allSettled([
      withTimeout(probe().query('SELECT 1'), 2000),
      withTimeout(redis().ping(), 2000),
    ])
    // /readyz is public: it says which part does not answer, never the driver's error, which can name
    // internal hosts and ports (issue 24 attack review). The error itself goes to the log.
    const state = (r: PromiseSettledResult<unknown>, what: string) => {
      if (r.status === 'fulfilled') return 'ok'
      logger().warn({ err: r.reason }, `readiness: ${what} does not answer`)
      return /no answer in/.test(errorMessage(r.reason)) ? 'no answer in 2 s' : 'unreachable'
    }
    const checks = { database: state(database, 'PostgreSQL'), redis: state(cache, 'Redis') }
    return { ok: checks.database === 'ok' && checks.redis === 'ok', checks }
  })()
  last = { at: performance.now(), health }
  return health
}
