import { Redis } from 'ioredis'
import { singleton } from '../platform/singleton.ts'

// One shared connection for commands (rate limits, health); BullMQ workers open their own
// blocking connections from the same URL.
export function redis(): Redis {
  return singleton('redis', () => createRedis())
}

export function createRedis(): Redis {
  const url = process.env.REDIS_URL
  if (!url) throw new Error('REDIS_URL is not set: call ensureRedis() at boot')
  return new Redis(url, { maxRetriesPerRequest: null })
}
