import { z } from 'zod'
import { env } from '../config/env.ts'
import { nowMs } from '../clock.ts'
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

/**
 * While Redis does not answer, attempts are counted in this process with the same windows and maxima:
 * sign-in keeps working (it waited on Redis for as long as Redis was away, issue 24) and guessing stays
 * limited, at worst by the number of web processes times the maximum. Counts here are not merged back.
 */
const local = new Map<string, { count: number; endsAt: number }>()

function consumeLocally(keys: LimitKey[], windowSeconds: number): LimitOutcome {
  const at = nowMs()
  for (const [key, entry] of local) if (entry.endsAt <= at) local.delete(key)
  let refused = false
  let ttl = 0
  for (const k of keys) {
    const entry = local.get(k.key) ?? { count: 0, endsAt: at + windowSeconds * 1000 }
    entry.count += 1
    local.set(k.key, entry)
    if (entry.count > k.max) {
      refused = true
      ttl = Math.max(ttl, Math.ceil((entry.endsAt - at) / 1000))
    }
  }
  return { allowed: !refused, retryAfterSeconds: Math.max(ttl, 1) }
}

// Set when a command failed, until the connection is ready again: later attempts count here at once
// instead of each waiting out the command timeout.
let away = false
const answering = () => !away || redis().status === 'ready'

/** What CONSUME returns: {allowed (1 or 0), seconds until the window ends}. */
const consumeReply = z.tuple([z.number(), z.number()])

/** Counts one attempt against every key atomically; refused when any of them is over its maximum. */
export async function consumeAttempt(keys: LimitKey[], windowSeconds: number): Promise<LimitOutcome> {
  if (!answering()) return consumeLocally(keys, windowSeconds)
  away = false
  try {
    const [allowed, ttl] = consumeReply.parse(
      await redis().eval(
        CONSUME,
        keys.length,
        ...keys.map((k) => fullKey(k.key)),
        windowSeconds,
        ...keys.map((k) => k.max),
      ),
    )
    return { allowed: allowed === 1, retryAfterSeconds: Math.max(ttl, 1) }
  } catch {
    away = true
    return consumeLocally(keys, windowSeconds)
  }
}

/** Gives back an attempt that turned out well, so only failures stay counted (never below zero). */
export async function releaseAttempt(key: string): Promise<void> {
  const entry = local.get(key)
  if (entry && entry.count > 0) entry.count -= 1
  if (!answering()) return
  await redis()
    .eval("if (tonumber(redis.call('GET', KEYS[1]) or '0') > 0) then redis.call('DECR', KEYS[1]) end", 1, fullKey(key))
    .catch(() => {})
}

/** Forgets what was counted against a key (a correct password clears the email's failures). */
export async function forgetAttempts(key: string): Promise<void> {
  local.delete(key)
  if (!answering()) return
  await redis()
    .del(fullKey(key))
    .catch(() => {})
}

export const minutesFrom = (seconds: number) => `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`
