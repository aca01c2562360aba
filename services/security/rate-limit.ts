import { env } from '../config/env.ts'
import { redis } from '../redis/connection.ts'

export interface LimitKey {
  /** What is counted, e.g. "signin:email:ada@example.test". */
  key: string
  max: number
}

export interface LimitOutcome {
  allowed: boolean
  /** When refused, how long until the earliest window ends. */
  retryAfterSeconds: number
}

// One script counts every key and decides in one step, so concurrent attempts cannot all pass a
// check that was made before any of them was counted.
const CONSUME = `
local refused = false
local ttl = 0
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if n == 1 then redis.call('EXPIRE', key, ARGV[1]) end
  if n > tonumber(ARGV[i + 1]) then
    refused = true
    ttl = math.max(ttl, redis.call('TTL', key))
  end
end
if refused then return {0, ttl} end
return {1, 0}`

const fullKey = (key: string) => `${env().REDIS_PREFIX}:limit:${key}`

/** Counts one attempt against every key atomically; refused when any of them is over its maximum. */
export async function consumeAttempt(keys: LimitKey[], windowSeconds: number): Promise<LimitOutcome> {
  const [allowed, ttl] = (await redis().eval(
    CONSUME,
    keys.length,
    ...keys.map((k) => fullKey(k.key)),
    windowSeconds,
    ...keys.map((k) => k.max),
  )) as [number, number]
  return { allowed: allowed === 1, retryAfterSeconds: Math.max(ttl, 1) }
}

/** Gives back an attempt that turned out well, so only failures stay counted (never below zero). */
export async function releaseAttempt(key: string): Promise<void> {
  await redis().eval(
    "if (tonumber(redis.call('GET', KEYS[1]) or '0') > 0) then redis.call('DECR', KEYS[1]) end",
    1,
    fullKey(key),
  )
}

/** Forgets what was counted against a key (a correct password clears the email's failures). */
export async function forgetAttempts(key: string): Promise<void> {
  await redis().del(fullKey(key))
}

export const minutesFrom = (seconds: number) => `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`
