import pg from 'pg'
import { singleton } from '../platform/singleton.ts'

/** A plain pg pool for what Prisma cannot do (COPY streams); same database as db(). */
export function pgPool(): pg.Pool {
  return singleton('pg-pool', () => {
    const url = process.env.DATABASE_URL
    if (!url) throw new Error('DATABASE_URL is not set: call ensureDatabase() at boot')
    return new pg.Pool({ connectionString: url, max: 4 })
  })
}
