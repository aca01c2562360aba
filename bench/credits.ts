import { existsSync } from 'node:fs'
import { randomBytes, randomUUID } from 'node:crypto'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { AddressInfo } from 'node:net'
import pg from 'pg'
import type { ServerBuild } from 'react-router'
import { reportUsage, type SimulatedUsage } from '../fakes/ggml-cloud/simulate-usage.ts'
import { registerLocalCloudToken } from '../services/credits/cloud-token.ts'
import { recordUsage } from '../services/credits/record-usage.ts'
import { resetClock, travelTo } from '../services/platform/clock.ts'
import { atMost, report, timed, withScratchDatabase } from './support.ts'

// Usage reports from GGML Cloud: through the platform (validation, idempotency, a lock on the
// contributor's lots, the drawdown, a journal entry and its draws) against a plain INSERT of the same
// rows into a table shaped like CreditUsage, as many at a time. Through HTTP when a build exists
// (`npm run build`), and as the service call the API makes.
const REPORTS = Number(process.env.BENCH_USAGE ?? 3000)
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 30)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8)

await withScratchDatabase(async (_db, url) => {
  process.env.DATABASE_URL = url
  const { contributorWithLots } = await import('../tests/support/credits.ts')
  const accounts: string[] = []
  for (let i = 0; i < ACCOUNTS; i++) {
    const c = await contributorWithLots([
      { amount: '2000', acceptAt: '2031-01-10T00:00:00Z' },
      { amount: '500', category: 'inference', acceptAt: '2031-02-10T00:00:00Z' },
    ])
    accounts.push(c.organization.slug)
  }
  travelTo('2031-06-01T00:00:00Z')
  const usages = (tag: string): SimulatedUsage[] =>
    Array.from({ length: REPORTS }, (_, i) => ({
      account: accounts[i % ACCOUNTS]!,
      category: i % 3 ? 'inference' : 'storage',
      amount: '0.35',
      occurredAt: new Date(Date.UTC(2031, 4, 1) + i * 1000).toISOString(),
      idempotencyKey: `${tag}-${i}-${randomBytes(4).toString('hex')}`,
    }))

  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query('CREATE TABLE bench_usage (LIKE "CreditUsage" INCLUDING ALL)')
  const clients = await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const c = new pg.Client({ connectionString: url })
      await c.connect()
      return c
    }),
  )
  const free = [...clients]
  const baseRows = usages('base')
  const baseline = await timed(() =>
    atMost(CONCURRENCY, baseRows, async (u) => {
      const c = free.pop()!
      await c.query(
        `INSERT INTO bench_usage ("id", "organizationId", "idempotencyKey", "requestHash", "category", "amountMinor",
           "coveredMinor", "occurredAt", "createdAt") VALUES ($1, $2, $3, $4, $5::"CreditCategory", $6, $7, $8, now())`,
        [randomUUID(), u.account, u.idempotencyKey, 'h', u.category, 35, 35, u.occurredAt],
      )
      free.push(c)
    }),
  )
  await Promise.all(clients.map((c) => c.end()))
  await admin.end()

  const viaService = await timed(() =>
    atMost(CONCURRENCY, usages('svc'), async ({ idempotencyKey, ...u }) => {
      await recordUsage(u, idempotencyKey!)
    }),
  )
  const rows = [
    { label: 'plain INSERT of the same rows (baseline)', count: REPORTS, seconds: baseline },
    { label: 'platform: recordUsage (the API’s service call)', count: REPORTS, seconds: viaService },
  ]
  const buildPath = path.resolve('build/server/index.js')
  if (existsSync(buildPath)) {
    const token = `cloud_bench_${randomBytes(16).toString('hex')}`
    registerLocalCloudToken(token)
    const { createApp } = await import('../server/app.ts')
    const app = await createApp({ build: (await import(pathToFileURL(buildPath).href)) as ServerBuild })
    const server = app.listen(0, '127.0.0.1')
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    let refused = 0
    const viaHttp = await timed(() =>
      atMost(CONCURRENCY, usages('http'), async (u) => {
        const r = await reportUsage(base, token, u)
        if (r.status !== 201) refused++
      }),
    )
    server.close()
    if (refused) throw new Error(`${refused} usage reports were refused`)
    rows.push({ label: 'platform: POST /api/v1/credits/usage', count: REPORTS, seconds: viaHttp })
  } else console.log('(no build: run `npm run build` to measure through HTTP too)')
  report(
    `credits: ${REPORTS.toLocaleString('en-US')} usage reports over ${ACCOUNTS} contributors, ${CONCURRENCY} at a time`,
    rows,
    rows[0]!.label,
  )
  resetClock()
})
process.exit(0)
