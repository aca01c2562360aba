import { execFile } from 'node:child_process'
import type { AddressInfo } from 'node:net'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import type { ServerBuild } from 'react-router'
import { withScratchDatabase } from '../bench/support.ts'
import { register } from '../certification-lab/runner.ts'
import { reloadEnv } from '../services/platform/config/env.ts'
import { db } from '../services/platform/db/client.ts'
import { newId } from '../services/platform/db/ids.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { ensureRedis } from '../services/platform/redis/ensure-redis.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'

/**
 * The certification GPU check (issue 10), for a CUDA machine: a local platform (scratch database,
 * the real app and worker), a partner runner registered with this machine's fingerprint, the 1B- and
 * 7B-class Q4_0 models synthesized by the platform's worker and by the runner, the runner run with
 * `--gpu cuda` (the CPU reference of the correctness check in its child process), and for each model
 * pp512, tg128, the GPU bound the platform used, the roofline efficiency and every check's verdict.
 *   bash scripts/gpu-check.sh   (GPU_CHECK_MODELS=1b skips the 7B-class model; GPU_CHECK_BACKEND=vulkan,
 *   or cpu for a dry run of the script on a machine without a GPU)
 */
const GPU = process.env.GPU_CHECK_BACKEND ?? 'cuda'
const MODELS = (process.env.GPU_CHECK_MODELS ?? '1b,7b').split(',') as ('1b' | '7b')[]

await withScratchDatabase(async (_db, url) => {
  process.env.DATABASE_URL = url
  process.env.WORKER_IN_PROCESS = 'true'
  process.env.LOG_LEVEL ??= 'warn' // the report, not every heartbeat's request log
  reloadEnv()
  await ensureRedis()
  const { createApp } = await import('../server/app.ts')
  const { startBackground } = await import('../server/boot.ts')
  const { requestCertification } = await import('../services/certification/request-certification.ts')
  const { createRunnerToken } = await import('../services/certification/create-runner-token.ts')
  const build = (await import(pathToFileURL(path.resolve('build/server/index.js')).href)) as ServerBuild
  const server = (await createApp({ build })).listen(0, '127.0.0.1')
  await new Promise<void>((r) => server.once('listening', () => r()))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  process.env.APP_URL = base
  reloadEnv()
  const background = startBackground()
  try {
    const orgId = newId()
    const userId = newId()
    await db().organization.create({
      data: { id: orgId, slug: `gpu-check-${orgId}`, name: 'GPU check', kind: 'oem_partner' },
    })
    await db().user.create({ data: { id: userId, email: `${userId}@gpu-check.example`, name: 'GPU check' } })
    await db().membership.create({ data: { id: newId(), userId, organizationId: orgId, role: 'partner_admin' } })
    const scope = await tenantScope(await actorForUser(userId), { id: orgId }, 'certification.view')
    const dir = await mkdtemp(path.join(tmpdir(), 'gpu-check-runner-'))
    const runner = await register({ server: base, token: await createRunnerToken(scope), name: 'gpu-check', dir })
    for (const shape of MODELS) {
      const { jobId } = await requestCertification(scope, {
        productName: `GPU check ${shape}`,
        sku: `GPU-${shape}`,
        modelShape: shape,
        modelType: 'Q4_0',
        repetitions: 5,
        runnerId: runner.runnerId,
      })
      console.log(`${shape}: the worker synthesizes the platform's copy…`)
      await waitWhile(jobId, 'preparing')
      const started = performance.now()
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          path.resolve('node_modules/tsx/dist/cli.mjs'),
          'certification-lab/runner.ts',
          'run',
          '--once',
          '--dir',
          dir,
          ...(GPU === 'cpu' ? [] : ['--gpu', GPU]),
        ],
        { env: { ...process.env, UV_THREADPOOL_SIZE: '1' }, maxBuffer: 16 * 2 ** 20 },
      ).catch((e: { stdout?: string; stderr?: string }) => {
        console.log(e.stdout, e.stderr)
        throw e
      })
      for (const line of stdout.trim().split('\n')) console.log(`  runner: ${line}`)
      await waitWhile(jobId, 'verifying')
      const result = await db().certResult.findFirstOrThrow({ where: { jobId }, orderBy: { createdAt: 'desc' } })
      const payload = result.payload as {
        records: {
          n_prompt: number
          avg_ts: number
          stddev_ts: number
          backends: string
          other_cpu_share?: number
          file_refaults?: number
        }[]
      }
      const [pp, tg] = [payload.records.find((r) => r.n_prompt > 0)!, payload.records.find((r) => r.n_prompt === 0)!]
      console.log(
        `${shape} Q4_0 on ${tg.backends}: pp512 ${pp.avg_ts.toFixed(1)} ± ${pp.stddev_ts.toFixed(1)} t/s, ` +
          `tg128 ${tg.avg_ts.toFixed(1)} ± ${tg.stddev_ts.toFixed(1)} t/s, ` +
          `${result.accepted ? 'ACCEPTED' : 'REFUSED'} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      )
      for (const [name, r] of [
        ['pp512', pp],
        ['tg128', tg],
      ] as const)
        console.log(
          `  ${name} while measuring: other processes ${((r.other_cpu_share ?? 0) * 100).toFixed(1)}% of the CPU, ` +
            `${r.file_refaults ?? '?'} file pages read back after reclaim`,
        )
      for (const c of result.checks as { check: string; ok: boolean; detail: string }[])
        console.log(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.check}: ${c.detail}`)
    }
  } finally {
    await background.stop()
    server.closeAllConnections()
    server.close()
  }
})
// Database pools and queue connections would keep the process alive (found by the CPU dry run).
process.exit(0)

async function waitWhile(jobId: string, status: 'preparing' | 'verifying') {
  for (let i = 0; i < 3600; i++) {
    if ((await db().certJob.findUniqueOrThrow({ where: { id: jobId } })).status !== status) return
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`job ${jobId} still ${status} after 30 minutes`)
}
