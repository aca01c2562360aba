import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { register } from '../certification-lab/runner.ts'
import { requestCertification } from '#services/certification/request-certification.ts'
import { reviewBadge } from '#services/certification/review-badge.ts'
import { queueReproduction } from '#services/certification/queue-reproduction.ts'
import { createRunnerToken } from '#services/certification/create-runner-token.ts'
import { dataDir } from '../services/config/env.ts'
import { db } from '../services/db/client.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'

/**
 * A demo certification measured for real, on this machine: Northwind Silicon registers a runner
 * and certifies its NW-Gate 2 gateway (the real llama.cpp on the CI-class model); Cato from
 * certification queues a reproduction run and approves it when it lands within 5%. Nothing is
 * forced: a run the platform's checks refuse stays refused, a rerun outside 5% stays in the review
 * queue. Runs after the server listens (the runner speaks HTTP to it), once per database.
 */
export async function seedDemoCertification(serverUrl: string, log: (line: string) => void): Promise<void> {
  const northwind = await db().organization.findUniqueOrThrow({ where: { slug: 'northwind-silicon' } })
  if ((await db().certRequest.count({ where: { organizationId: northwind.id } })) > 0) return
  const userId = async (email: string) => (await db().user.findUniqueOrThrow({ where: { email } })).id
  const partner = await tenantScope(
    await actorForUser(await userId('engineer@northwind.example')),
    { id: northwind.id },
    'certification.view',
  )
  const engineer = await actorForUser(await userId('certification@ggml.example'))

  const dir = dataDir('demo-runner')
  const runner = await register({
    server: serverUrl,
    token: await createRunnerToken(partner),
    name: 'northwind-lab-1',
    dir,
  })
  await requestCertification(partner, {
    productName: 'NW-Gate 2',
    sku: 'NWG2-8G',
    modelShape: 'tiny',
    modelType: 'Q4_0',
    repetitions: 5,
    runnerId: runner.runnerId,
  })
  await runOnce(dir, log)
  await settled(northwind.id)
  const badge = await db().certBadge.findFirst({ where: { organizationId: northwind.id } })
  if (!badge)
    return log(
      'demo certification: the run was refused by the platform’s checks; see /portal/northwind-silicon/certification',
    )
  await queueReproduction(engineer, badge.id, runner.runnerId)
  await runOnce(dir, log)
  await settled(northwind.id)
  try {
    await reviewBadge(engineer, badge.id, 'approve', 'Reproduced on a second run of the same unit.')
    log(`demo certification: NW-Gate 2 reviewed, /badges/${badge.id}`)
  } catch (e) {
    log(`demo certification: left in the review queue (${(e as Error).message})`)
  }
}

/** Waits (up to three minutes) while the worker recomputes a held result's proof of execution. */
async function settled(organizationId: string) {
  for (let i = 0; i < 360; i++) {
    if ((await db().certJob.count({ where: { organizationId, status: 'verifying' } })) === 0) return
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** The runner as partners run it: its own process, with the one-thread libuv pool it needs (docs/decisions/007). */
async function runOnce(dir: string, log: (line: string) => void) {
  const tsx = path.resolve('node_modules/.bin/tsx')
  const { stdout } = await promisify(execFile)(tsx, ['certification-lab/runner.ts', 'run', '--once', '--dir', dir], {
    env: { ...process.env, UV_THREADPOOL_SIZE: '1' },
  })
  for (const line of stdout.trim().split('\n')) log(`demo runner: ${line}`)
}
