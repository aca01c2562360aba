import { db } from '../db/client.ts'
import { redis } from '../redis/connection.ts'

export interface Health {
  ok: boolean
  checks: { database: 'ok' | string; redis: 'ok' | string }
}

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms))])

export async function checkHealth(): Promise<Health> {
  const [database, cache] = await Promise.allSettled([
    withTimeout(db().$queryRaw`SELECT 1`, 2000),
    withTimeout(redis().ping(), 2000),
  ])
  const checks = {
    database: database.status === 'fulfilled' ? 'ok' : String(database.reason?.message ?? database.reason),
    redis: cache.status === 'fulfilled' ? 'ok' : String(cache.reason?.message ?? cache.reason),
  }
  return { ok: checks.database === 'ok' && checks.redis === 'ok', checks }
}
