import pg from 'pg'
import { logger } from '../observability/logger.ts'
import { observePool } from '../observability/metrics.ts'
import { shared } from '../singleton.ts'
import { appDatabaseUrl } from './app-role.ts'

// One pool per process, whichever copy of this module opens it; closePgPool empties the slot.
const poolSlot = () => shared<pg.Pool | undefined>('pg-pool', undefined)

/** A plain pg pool for what Prisma cannot do (COPY streams); same database and role as db(). */
export function pgPool(): pg.Pool {
  const slot = poolSlot()
  return (slot.value ??= openPool())
}

function openPool(): pg.Pool {
  const pool = new pg.Pool({
    connectionString: appDatabaseUrl(),
    // Streamed uploads may hold at most UPLOADS_IN_FLIGHT_PER_PROCESS of these (below 8, issue 24): the
    // rest stay free for credit usage.
    max: 8,
    options: '-c jit=off',
    // A request waits this long for a connection, then fails with a message instead of hanging.
    connectionTimeoutMillis: 15_000,
  })
  // An idle connection the server ends (a restart, a failover) is dropped from the pool; without a
  // listener the 'error' event would end the process.
  pool.on('error', (err) => logger().warn({ err }, 'idle PostgreSQL connection ended'))
  // pg listens for a client's errors only while it is idle: one the server ends while it is checked
  // out (an outage mid-COPY) would be an unhandled 'error' event. Every client has a listener for its
  // whole life; the query in flight still fails, and its caller answers the request.
  pool.on('connect', (client) => {
    client.on('error', (err) => logger().warn({ err }, 'PostgreSQL connection ended while in use'))
  })
  observePool('staging', pool)
  return pool
}

/** Ends the pool (before its database is dropped or the process stops); the next pgPool() opens a new one. */
export async function closePgPool(): Promise<void> {
  const slot = poolSlot()
  const pool = slot.value
  if (!pool) return
  slot.value = undefined
  await pool.end()
}
