import { env } from '../config/env.ts'
import { AppError } from '../errors/app-error.ts'
import { redis } from '../redis/connection.ts'

// Failed attempts are counted per email and per IP in a fixed window; success clears the email's.
const keys = (email: string, ip: string | undefined) => [
  `${env().REDIS_PREFIX}:signin:email:${email}`,
  `${env().REDIS_PREFIX}:signin:ip:${ip ?? 'unknown'}`,
]

export async function assertSignInAllowed(email: string, ip: string | undefined): Promise<void> {
  const { SIGN_IN_MAX_ATTEMPTS: max } = env()
  const [byEmail, byIp] = keys(email, ip) as [string, string]
  const [e, i] = await redis().mget(byEmail, byIp)
  // The IP limit is wider: several people may share one address.
  if (Number(e ?? 0) >= max || Number(i ?? 0) >= max * 4) {
    const ttl = Math.max(await redis().ttl(byEmail), await redis().ttl(byIp), 1)
    throw new AppError(
      'rate_limited',
      `Too many failed sign-in attempts. Try again in ${Math.ceil(ttl / 60)} minute(s), or reset your password.`,
    )
  }
}

export async function recordFailedSignIn(email: string, ip: string | undefined): Promise<void> {
  const window = env().SIGN_IN_WINDOW_SECONDS
  const tx = redis().multi()
  for (const key of keys(email, ip)) tx.incr(key).expire(key, window, 'NX')
  await tx.exec()
}

export async function clearFailedSignIns(email: string): Promise<void> {
  await redis().del(keys(email, undefined)[0]!)
}
