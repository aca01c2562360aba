import { afterAll, beforeAll, inject } from 'vitest'
import { redis } from '../../services/platform/redis/connection.ts'
import { bootLocalStripe } from '../../fakes/stripe/local-stripe.ts'

// Each worker process talks to its own database clone and its own queue namespace. DATABASE_URL is the
// owner's, as in production: db() and pgPool() connect as the app role, so every test runs under the
// privileges the application really has (decision 020).
const pool = Number(process.env.VITEST_POOL_ID ?? '1')
const urls = inject('workerDatabaseUrls')
process.env.DATABASE_URL = urls[(pool - 1) % urls.length]
process.env.REDIS_URL = inject('redisUrl')
process.env.REDIS_PREFIX = `test_${inject('runId')}_w${pool}`
process.env.LOG_LEVEL ??= 'silent'
process.env.SIGN_IN_MAX_ATTEMPTS ??= '5'
// The runner measures at once: the suite's other files keep the CPU busy by design (spread is judged
// with CERT_MAX_CV in these tests, and its rule has tests of its own).
process.env.RUNNER_QUIET_WAIT_S ??= '0'

// Every test process bills through a local Stripe, as the demo does, so reports posted by any test
// are invoiced for real. Tests about webhooks start their own, pointed at their app server.
const localStripe = await bootLocalStripe({ webhookUrl: 'http://127.0.0.1:9/no-app-server-in-this-test' })
afterAll(() => localStripe.close())

// Every client of every test connects from 127.0.0.1: each test file starts with fresh rate-limit counters.
beforeAll(async () => {
  const keys = await redis().keys(`${process.env.REDIS_PREFIX}:limit:*`)
  if (keys.length) await redis().del(...keys)
})
