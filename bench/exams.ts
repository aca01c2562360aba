import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { reloadEnv } from '../services/platform/config/env.ts'
import { ensureRedis } from '../services/platform/redis/ensure-redis.ts'
import { db } from '../services/platform/db/client.ts'
import { newId } from '../services/platform/db/ids.ts'
import { actorForUser, createSession } from '../services/identity/sessions.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'
import { assembleForm, type BankItem } from '../services/training/assemble-form.ts'
import { seededRandom, shuffled } from '../services/training/seeded-random.ts'
import { startAttempt } from '../services/training/start-attempt.ts'
import { atMost, report, timed, withScratchDatabase } from './support.ts'
import type { HttpClient } from '../tests/support/http-client.ts'
import { choiceValue } from '../services/training/choice-values.ts'

// 1. Assembling FORMS forms from a BANK-item bank (10 domains, 6 items each per form, exposure and
//    overlap rules), against a seeded shuffle-and-slice of the same bank with no rules, in the same run.
// 2. CANDIDATES candidates at once answering and autosaving ANSWERS answers each against the running
//    server (the real Express app and build), against the same number of GET /healthz at the same
//    concurrency: answers saved per second and p99 latency.
const FORMS = Number(process.env.BENCH_FORMS ?? 10_000)
const BANK = Number(process.env.BENCH_BANK ?? 2_000)
const CANDIDATES = Number(process.env.BENCH_CANDIDATES ?? 200)
const ANSWERS = Number(process.env.BENCH_ANSWERS ?? 20)

const domains = Array.from({ length: 10 }, (_, d) => `domain-${d}`)
const bank: BankItem[] = Array.from({ length: BANK }, (_, i) => ({
  itemId: `item-${i}`,
  versionId: `v-${i}`,
  domain: domains[i % domains.length]!,
  exposureCount: 0,
  choiceIds: ['a', 'b', 'c', 'd'],
}))
const policy = {
  blueprint: Object.fromEntries(domains.map((d) => [d, 6])),
  maxExposurePercent: 10,
  maxOverlapPercent: 20,
}

const naive = await timed(async () => {
  for (let f = 0; f < FORMS; f++) shuffled(bank, seededRandom(`naive:${f}`)).slice(0, 60)
})
const exposure = new Map<string, number>()
const rules = await timed(async () => {
  for (let f = 0; f < FORMS; f++) {
    const form = assembleForm({
      seed: `bench:${f}`,
      bank: bank.map((b) => ({ ...b, exposureCount: exposure.get(b.itemId) ?? 0 })),
      policy,
      formsAssembled: f,
      seenItemIds: new Set(),
    })
    for (const i of form) exposure.set(i.itemId, (exposure.get(i.itemId) ?? 0) + 1)
  }
})
report(
  `exam forms: ${FORMS} forms of 60 from a ${BANK}-item bank`,
  [
    { label: 'seeded shuffle and slice (no rules)', count: FORMS, seconds: naive },
    { label: 'assembleForm (blueprint, exposure, overlap)', count: FORMS, seconds: rules },
  ],
  'seeded shuffle and slice (no rules)',
)
console.log(
  `  most exposed item: ${Math.max(...exposure.values())} of ${FORMS} forms (cap ${policy.maxExposurePercent}%)`,
)

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.ceil((p / 100) * xs.length) - 1]!

await withScratchDatabase(async (_db, url) => {
  process.env.DATABASE_URL = url
  reloadEnv()
  // Rate limits and the job queue live in Redis, as in production.
  await ensureRedis()
  // Imported here: the app reads its settings when it loads, after the scratch database exists.
  const { createApp } = await import('../server/app.ts')
  const { HttpClient } = await import('../tests/support/http-client.ts')
  const build = (await import(pathToFileURL(path.resolve('build/server/index.js')).href)) as ServerBuild
  const app = await createApp({ build })
  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((r) => server.once('listening', () => r()))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.APP_URL = base
  reloadEnv()
  // One exam of ANSWERS items (all from one domain), reviewed, and CANDIDATES learners with a voucher each.
  const author = newId()
  const reviewer = newId()
  await db().user.createMany({
    data: [author, reviewer].map((id) => ({ id, email: `${id}@bench.example`, name: 'Instructor' })),
  })
  const examId = newId()
  await db().exam.create({
    data: {
      id: examId,
      slug: 'bench-exam',
      title: 'Bench exam',
      summary: 'x',
      priceMinor: 0n,
      timeLimitMinutes: 120,
      passPercent: 70,
      validityMonths: 24,
      blueprint: { d: ANSWERS },
      maxExposurePercent: 100,
      maxOverlapPercent: 100,
      retakeWaitDays: [0],
      yearlyCap: 10,
      published: true,
    },
  })
  for (let i = 0; i < ANSWERS; i++) {
    const itemId = newId()
    const versionId = newId()
    await db().examItem.create({ data: { id: itemId, examId, domain: 'd' } })
    await db().examItemVersion.create({
      data: {
        id: versionId,
        itemId,
        version: 1,
        kind: 'single',
        stem: `Question ${i}`,
        choices: ['a', 'b', 'c', 'd'].map((id) => ({ id, text: `choice ${id}` })),
        key: ['a'],
        explanation: 'x',
        difficulty: 3,
        tags: [],
        state: 'live',
        authorId: author,
        reviewerId: reviewer,
      },
    })
    await db().examItem.update({ where: { id: itemId }, data: { liveVersionId: versionId } })
  }
  const candidates: { client: HttpClient; path: string; attemptId: string }[] = []
  await atMost(
    8,
    Array.from({ length: CANDIDATES }, (_, i) => i),
    async (i) => {
      const orgId = newId()
      const userId = newId()
      await db().organization.create({ data: { id: orgId, slug: `learner-${i}`, name: `L${i}`, kind: 'learner' } })
      await db().user.create({ data: { id: userId, email: `l${i}@bench.example`, name: `Learner ${i}` } })
      await db().membership.create({ data: { id: newId(), userId, organizationId: orgId, role: 'learner' } })
      await db().examVoucher.create({
        data: { id: newId(), organizationId: orgId, examId, userId, expiresAt: new Date(Date.UTC(2099, 0, 1)) },
      })
      const scope = await tenantScope(await actorForUser(userId), { id: orgId }, 'training.learn')
      const attempt = await startAttempt(scope, { examSlug: 'bench-exam' })
      const session = await createSession(db(), userId, {})
      const client = new HttpClient(base)
      // The session cookie as React Router serialises an unsigned cookie: base64 of the JSON value.
      ;(client as unknown as { cookies: Map<string, string> }).cookies.set(
        '__session',
        encodeURIComponent(Buffer.from(JSON.stringify(session.token)).toString('base64')),
      )
      await (await client.get(`/learn/learner-${i}/attempts/${attempt.id}`)).arrayBuffer()
      candidates.push({ client, path: `/learn/learner-${i}/attempts/${attempt.id}`, attemptId: attempt.id })
    },
  )
  const work = Array.from({ length: CANDIDATES * ANSWERS }, (_, n) => n)
  const healthLatency: number[] = []
  const health = await timed(() =>
    atMost(CANDIDATES, work, async (n) => {
      const t = performance.now()
      const res = await candidates[n % CANDIDATES]!.client.get('/healthz')
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`healthz answered ${res.status}`)
      healthLatency.push(performance.now() - t)
    }),
  )
  const saveLatency: number[] = []
  // Each candidate answers its questions in order; all candidates at once.
  const saves = await timed(() =>
    atMost(
      CANDIDATES,
      candidates.map((c) => c),
      async (c) => {
        for (let q = 0; q < ANSWERS; q++) {
          const t = performance.now()
          // As the page's autosave sends it: a fetcher's POST to the route's data URL.
          // The value the page shows for choice "a" of this question in this attempt (choice-values.ts).
          const answer = choiceValue(c.attemptId, q, 'a')
          const res = await c.client.post(`${c.path}.data`, { intent: 'answer', position: String(q), answer })
          await res.arrayBuffer()
          if (res.status !== 200) throw new Error(`answer answered ${res.status}`)
          saveLatency.push(performance.now() - t)
        }
      },
    ),
  )
  const saved = await db().examAttemptItem.count({ where: { answeredAt: { not: null } } })
  report(
    `exam autosave: ${CANDIDATES} candidates × ${ANSWERS} answers against the running server`,
    [
      { label: 'GET /healthz (same concurrency)', count: work.length, seconds: health },
      { label: 'POST an answer (saved, deadline checked)', count: work.length, seconds: saves },
    ],
    'GET /healthz (same concurrency)',
  )
  console.log(
    `  p99 latency: /healthz ${percentile(healthLatency, 99).toFixed(0)} ms, ` +
      `answer ${percentile(saveLatency, 99).toFixed(0)} ms; answers stored: ${saved} of ${work.length}`,
  )
  await new Promise<void>((r) => server.close(() => r()))
})
process.exit(0)
