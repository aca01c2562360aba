import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { createOrganization, createUser, TEST_PASSWORD } from '../support/fixtures.ts'

// Issue 24: with Redis away, sign-in waited as long as Redis did (the command connection retried for
// ever). Now a command fails within a second and attempts are counted in the process meanwhile, so
// people sign in and guessing is still refused.
describe('sign-in while Redis is away (issue 24)', () => {
  it('answers within a second or so, and still refuses a guesser after the maximum', async () => {
    const org = await createOrganization('oem_partner')
    const user = await createUser(org.id, 'partner_admin')
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/support/redis-away-child.ts', user.email, TEST_PASSWORD],
      {
        // Port 9 (discard) on loopback: nothing listens, every connection is refused at once.
        env: { ...process.env, REDIS_URL: 'redis://127.0.0.1:9', LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    const code = await new Promise((r) => child.once('exit', r))
    expect(code).toBe(0)
    const attempts = JSON.parse(out.trim().split('\n').at(-1)!) as { outcome: string; ms: number }[]
    // A partner admin without an authenticator signs straight in.
    expect(attempts[0]!.outcome).toBe('session')
    // The first waits out one command timeout (a second) beside its first database connection; later
    // ones count in the process at once.
    expect(attempts[0]!.ms, JSON.stringify(attempts)).toBeLessThan(4000)
    expect(Math.max(...attempts.slice(1).map((a) => a.ms)), JSON.stringify(attempts)).toBeLessThan(1000)
    // Wrong passwords are told so until the maximum, then refused for the window, as with Redis.
    const wrong = attempts.slice(1, 13).map((a) => a.outcome)
    const firstRefusal = wrong.indexOf('rate_limited')
    expect(firstRefusal).toBeGreaterThan(0)
    expect(wrong.slice(0, firstRefusal).every((o) => o === 'unauthenticated')).toBe(true)
    expect(wrong.slice(firstRefusal).every((o) => o === 'rate_limited')).toBe(true)
    // The maximum reached, even the right password waits for the window.
    expect(attempts.at(-1)!.outcome).toBe('rate_limited')
  }, 60_000)
})
