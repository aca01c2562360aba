import { Queue } from 'bullmq'
import { env } from '../config/env.ts'
import { createRedis } from '../redis/connection.ts'
import { singleton } from '../singleton.ts'

export const PLATFORM_QUEUE = 'platform'

export const defaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  // Completed jobs are kept for a while so that a re-relayed outbox row (same job id) is ignored.
  removeOnComplete: { age: 7 * 24 * 3600, count: 50_000 },
  removeOnFail: false,
} as const

export function platformQueue(): Queue {
  return singleton(
    'queue:platform',
    () => new Queue(PLATFORM_QUEUE, { connection: createRedis(), prefix: env().REDIS_PREFIX, defaultJobOptions }),
  )
}
