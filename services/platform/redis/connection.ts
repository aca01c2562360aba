import { Redis } from 'ioredis'
import { logger } from '../observability/logger.ts'
import { singleton } from '../singleton.ts'

/**
 * One shared connection for a request's own commands (rate limits, health). They answer within a second
 * or fail: with `maxRetriesPerRequest: null` a sign-in waited for Redis as long as Redis was away
 * (issue 24). Callers decide what a failure means (rate limits count in the process meanwhile).
 */
export function redis(): Redis {
  return singleton('redis', () => {
    const connection = createRedis({ commandTimeout: 1000, maxRetriesPerRequest: 1 })
    // Without a listener ioredis prints every failed reconnect; one warning per outage says enough.
    let warned = false
    connection.on('error', (err) => {
      if (!warned) logger().warn({ err }, 'redis unreachable: rate limits count in this process meanwhile')
      warned = true
    })
    connection.on('ready', () => {
      warned = false
    })
    return connection
  })
}

/** A connection for BullMQ (queue and workers), which waits for Redis on purpose and requires `null`. */
export function createRedis(options: { commandTimeout?: number; maxRetriesPerRequest?: number | null } = {}): Redis {
  const url = process.env.REDIS_URL
  if (!url) throw new Error('REDIS_URL is not set: call ensureRedis() at boot')
  return new Redis(url, { maxRetriesPerRequest: null, ...options })
}
