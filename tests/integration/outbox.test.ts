import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Queue } from 'bullmq'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appDatabaseUrl } from '../../services/platform/db/app-role.ts'
import { createDb, db as workerDb, type Db } from '../../services/platform/db/client.ts'
import { handleSendEmail } from '../../services/platform/email/send-email-job.ts'
import { enqueueJob } from '../../services/platform/jobs/enqueue-job.ts'
import { PLATFORM_QUEUE } from '../../services/platform/jobs/queue.ts'
import { migrate } from '../../services/platform/db/migrate.ts'
import { createRedis } from '../../services/platform/redis/connection.ts'
import { ensureSchedulers, reconcileOutbox } from '../../services/platform/jobs/reconcile-outbox.ts'
import { scheduledJobs } from '../../services/platform/jobs/registry.ts'
import { createEmptyDatabase } from '../support/databases.ts'

// The outbox gets its own database and queue namespace: the child processes relay everything in it.
let database: Awaited<ReturnType<typeof createEmptyDatabase>>
let db: Db
let queue: Queue
const prefix = `outbox_${randomBytes(4).toString('hex')}`

beforeAll(async () => {
  database = await createEmptyDatabase()
  await migrate(database.url)
  db = createDb(appDatabaseUrl(database.url))
  queue = new Queue(PLATFORM_QUEUE, { connection: createRedis(), prefix })
})
afterAll(async () => {
  await queue.obliterate({ force: true })
  await queue.close()
  await db.$disconnect()
  await database.drop()
})

const child = (modes: string[], extraEnv: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'tests/support/outbox-child.ts', ...modes], {
    env: { ...process.env, DATABASE_URL: database.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent', ...extraEnv },
    encoding: 'utf8',
    timeout: 60_000,
  })

describe('the transactional outbox', () => {
  it('loses and doubles nothing when the relay is killed between enqueue and commit', async () => {
    const recipients = Array.from({ length: 30 }, (_, i) => `person${i}@example.test`)
    for (const to of recipients) {
      await db.$transaction((tx) =>
        enqueueJob(tx, 'email.send', { to, subject: 'Hello', text: `Hi ${to}`, html: `<p>Hi ${to}</p>` }),
      )
    }
    // A job whose transaction rolls back must never run.
    await db
      .$transaction(async (tx) => {
        await enqueueJob(tx, 'email.send', { to: 'rolled-back@example.test', subject: 'Never', text: '', html: '' })
        throw new Error('rollback')
      })
      .catch(() => {})

    const crashed = child(['relay'], { CRASH_AT: 'relay:after-add' })
    expect(crashed.signal).toBe('SIGKILL')
    expect(await db.outboxMessage.count({ where: { relayedAt: null } })).toBe(30)
    expect(await queue.count()).toBe(10)

    const resumed = child(['relay', 'work'])
    expect(resumed.status).toBe(0)
    expect(await db.outboxMessage.count({ where: { relayedAt: null } })).toBe(0)
    expect(await queue.getJobCountByTypes('completed')).toBe(30)

    const mail = await db.mailMessage.findMany({ select: { to: true } })
    expect(mail.map((m) => m.to).sort()).toEqual([...recipients].sort())

    // Relaying and working again changes nothing.
    expect(child(['relay', 'work']).status).toBe(0)
    expect(await db.mailMessage.count()).toBe(30)
  })

  it('runs a redelivered job’s effect once (the worker died after sending, before acknowledging)', async () => {
    const jobId = `redelivered-${randomBytes(4).toString('hex')}`
    const payload = { to: 'once@example.test', subject: 'Once', text: 'once', html: '<p>once</p>' }
    await handleSendEmail(payload, { jobId, attempt: 1 })
    await handleSendEmail(payload, { jobId, attempt: 2 })
    await Promise.all([
      handleSendEmail(payload, { jobId, attempt: 3 }),
      handleSendEmail(payload, { jobId, attempt: 3 }),
    ])
    expect(await workerDb().mailMessage.count({ where: { idempotencyKey: `job:${jobId}` } })).toBe(1)
  })

  it('loses nothing when Redis restarts empty: open rows go back to the relay, schedulers come back', async () => {
    const recipients = Array.from({ length: 5 }, (_, i) => `redis-lost${i}@example.test`)
    for (const to of recipients)
      await db.$transaction((tx) => enqueueJob(tx, 'email.send', { to, subject: 'Lost?', text: to, html: to }))
    expect(child(['relay']).status).toBe(0)
    expect(await ensureSchedulers(queue)).toBe(scheduledJobs().length)
    // Redis restarts with no data: every queued job and scheduler is gone.
    await queue.obliterate({ force: true })
    expect(await queue.getJobSchedulersCount()).toBe(0)
    // Nothing Redis still holds is touched; what it lost goes back to the relay, once.
    expect(await reconcileOutbox(db, queue, 0)).toBe(5)
    expect(await reconcileOutbox(db, queue, 0)).toBe(0)
    expect(child(['relay', 'work']).status).toBe(0)
    const sent = await db.mailMessage.findMany({ where: { to: { in: recipients } }, select: { to: true } })
    expect(sent.map((m) => m.to).sort()).toEqual([...recipients].sort())
    expect(await db.outboxMessage.count({ where: { completedAt: null } })).toBe(0)
    expect(await reconcileOutbox(db, queue, 0)).toBe(0)
    expect(await ensureSchedulers(queue)).toBe(scheduledJobs().length)
    expect(await ensureSchedulers(queue)).toBe(0)
    // A schedule the code changed (here: one Redis holds with another pattern) is declared again as the code says.
    const [first] = scheduledJobs()
    await queue.upsertJobScheduler(first!.name, { pattern: '0 0 1 1 *', tz: 'UTC' }, { name: first!.name, data: {} })
    expect(await ensureSchedulers(queue)).toBe(1)
    expect((await queue.getJobScheduler(first!.name))?.pattern).toBe(first!.pattern)
  })

  it('hands back a lost job even behind a full batch of jobs Redis still holds (operator review)', async () => {
    const hourAgo = new Date(Date.now() - 3_600_000)
    const row = (id: string, minutes: number) =>
      db.outboxMessage.create({
        data: {
          id,
          jobName: 'email.send',
          payload: {},
          relayedAt: new Date(hourAgo.getTime() + minutes * 60_000),
        },
      })
    const [held1, held2, lost] = ['held1', 'held2', 'lost'].map((n) => `${n}_${randomBytes(4).toString('hex')}`)
    // The two oldest are still in Redis (failed for good, say); the third Redis lost.
    await row(held1!, 0)
    await row(held2!, 1)
    await row(lost!, 2)
    for (const id of [held1!, held2!]) await queue.add('email.send', {}, { jobId: id })
    // A batch of two sees only the held ones first; then they wait at the back, and the lost one is found.
    expect(await reconcileOutbox(db, queue, 0, 2)).toBe(0)
    expect(await reconcileOutbox(db, queue, 0, 2)).toBe(1)
    expect((await db.outboxMessage.findUniqueOrThrow({ where: { id: lost! } })).relayedAt).toBeNull()
    await db.outboxMessage.updateMany({
      where: { id: { in: [held1!, held2!, lost!] } },
      data: { completedAt: new Date() },
    })
  })
})
