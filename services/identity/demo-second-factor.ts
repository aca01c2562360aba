import { unscopedDb } from '../platform/db/unscoped.ts'
import { nowMs } from '../platform/clock.ts'
import { totpAt } from './totp.ts'
import { openTotpSecret } from './totp-secret.ts'

/** The demo's staff accounts (…@ggml.example) and the one secret the demo enrols them with. */
export const DEMO_TOTP_SECRET = 'GGMLDEMOGGMLDEMOGGMLDEMOGGMLDEMO'
const isDemoAccount = (email: string) => email.endsWith('@ggml.example')

/** The current code of a demo account (DEMO=true only; callers check): staff sign in without a phone. */
export async function demoCurrentCode(email: string): Promise<string | null> {
  if (!isDemoAccount(email)) return null
  const u = await unscopedDb('sign-in').user.findUnique({
    where: { email },
    select: { totpSecret: true, totpLastStep: true },
  })
  if (!u?.totpSecret) return null
  const secret = openTotpSecret(u.totpSecret)
  // The next step not yet used, so a second sign-in within 30 seconds still works.
  const step = Math.max(Math.floor(nowMs() / 30_000), Number(u.totpLastStep ?? 0n) + 1)
  return totpAt(secret, step * 30_000)
}
