import { rmSync } from 'node:fs'
import { dataDir, env, reloadEnv } from '../services/platform/config/env.ts'
import { issuerKey } from '../services/credentials/issuer-key.ts'
import { db } from '../services/platform/db/client.ts'
import { stopEmbeddedDatabase } from '../services/platform/db/ensure-database.ts'
import { logger } from '../services/platform/observability/logger.ts'
import { bootInfrastructure } from './boot.ts'
import { purposeKey } from '../services/platform/security/platform-secret.ts'
import { printDemoSignIns, seedDemoData } from '../seeds/demo.ts'
import { seedDemoCertification } from '../seeds/demo-certification.ts'
import { seedDemoContracts } from '../seeds/demo-contracts.ts'
import { seedDemoCredits } from '../seeds/demo-credits.ts'
import { seedDemoServices } from '../seeds/demo-services.ts'
import { seedDemoSso } from '../seeds/demo-sso.ts'
import { seedDemoTraining } from '../seeds/demo-training.ts'
import { seedDemoAccounting } from '../seeds/demo-accounting.ts'
import { seedDemoInbox } from '../seeds/demo-inbox.ts'
import { demoLayout, fakesEnvPath, fakesFor, readFakesEnv } from './fakes-settings.ts'
import { SupervisedProcess } from './supervised-process.ts'

// `npm run demo` (built, NODE_ENV=production DEMO=true) and `npm run dev` (Vite): the platform with demo
// data, run as production runs it, by a small supervisor. It prepares the database (the embedded
// PostgreSQL when DATABASE_URL is unset, which then lives in this process), starts the local fakes
// (server/fakes.ts), seeds an empty database, then starts the worker (server/worker.ts) and
// DEMO_WEB_PROCESSES web processes (server/main.ts, WORKER_IN_PROCESS=false) on consecutive ports, each
// handed the fakes' settings as its ordinary configuration. A child that exits is started again, after
// 1 s, 2 s, 4 s… up to 30 s while it keeps failing (server/supervised-process.ts); SIGINT or SIGTERM
// stops them all.
const layout = demoLayout()
const children: SupervisedProcess[] = []
let stopping = false

/** Production's entry points and the fakes, run by node as `npm start` runs them (tsx as a loader). */
function supervise(name: string, entry: string, vars: Record<string, string>): SupervisedProcess {
  const child = new SupervisedProcess({ name, args: ['--import', 'tsx', entry], env: { ...process.env, ...vars } })
  children.push(child)
  return child
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs
  for (;;) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    if (performance.now() > deadline) throw new Error(`demo: ${what} did not come up within ${timeoutMs / 1000} s`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

async function stopAll(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  logger().info({ signal }, 'demo: stopping every process')
  await Promise.all(children.map((c) => c.stop()))
  await db()
    .$disconnect()
    .catch(() => {})
  await stopEmbeddedDatabase().catch(() => {})
  process.exit(0)
}

async function main() {
  process.once('SIGINT', () => void stopAll('SIGINT'))
  process.once('SIGTERM', () => void stopAll('SIGTERM'))

  // 1. The database (embedded when DATABASE_URL is unset: it lives in this process), Redis and migrations.
  // It makes DATA_DIR as a directory the embedded PostgreSQL's own user can enter.
  const infra = await bootInfrastructure()

  // 2. The fakes, then demo data in an empty database: seeding signs contracts at DocuSign and reads GitHub.
  const fakesFile = fakesEnvPath(dataDir())
  rmSync(fakesFile, { force: true })
  supervise('fakes', 'server/fakes.ts', { FAKES_WEB_URL: layout.webUrl }).start()
  const settings = fakesFor(await waitFor('the local fakes', async () => readFakesEnv(fakesFile), 120_000))
  Object.assign(process.env, settings)
  reloadEnv()
  const seeded = (await db().organization.count()) === 0
  if (seeded) {
    logger().info('demo: seeding demo data')
    await seedDemoData()
    await seedDemoContracts()
    await seedDemoCredits()
    await seedDemoServices()
    await seedDemoTraining()
    // Last month closed and its journal exported for the books (issue 32).
    await seedDemoAccounting()
    // Something waiting in each role's inbox (issue 29).
    await seedDemoInbox()
    const metadata = await (await fetch(settings.FAKES_IDP_METADATA_URL!)).text()
    await seedDemoSso({ metadata })
  }
  // Secrets kept in DATA_DIR are made here, once, so processes starting together cannot each make their own.
  issuerKey()
  purposeKey('csrf')

  // 3. The worker, then the web processes: production's entry points, told where everything is.
  const appUrl = env().APP_URL ?? `http://localhost:${layout.webPorts[0]}`
  const shared = {
    DATABASE_URL: infra.databaseUrl,
    REDIS_URL: infra.redisUrl,
    APP_URL: appUrl,
    ...settings,
  }
  supervise('worker', 'server/worker.ts', { ...shared, WORKER_PORT: String(layout.workerPort) }).start()
  for (const [i, port] of layout.webPorts.entries()) {
    const name = layout.webPorts.length > 1 ? `web-${i + 1}` : 'web'
    supervise(name, 'server/main.ts', { ...shared, PORT: String(port), WORKER_IN_PROCESS: 'false' }).start()
  }

  const firstWeb = `http://127.0.0.1:${layout.webPorts[0]}`
  await waitFor('the web process', async () => ((await fetch(`${firstWeb}/readyz`)).ok ? true : undefined), 180_000)
  printDemoSignIns(appUrl)
  // The README's usage example runs against the demo with this token (issue 30): it is kept in fakes.env.
  if (settings.CLOUD_SERVICE_TOKEN)
    console.log(
      `GGML Cloud usage token (CLOUD_SERVICE_TOKEN, also in ${fakesFile}): ${settings.CLOUD_SERVICE_TOKEN}\n` +
        `  try: set -a; . ${fakesFile}; set +a; APP_URL=${appUrl}; then the README's usage curl\n`,
    )
  if (layout.webPorts.length > 1) {
    console.log(`Web processes: ${layout.webPorts.map((p) => `http://localhost:${p}`).join(', ')}\n`)
  }
  // The demo's certification is measured by the real runner, which talks to the web process.
  if (seeded) {
    await seedDemoCertification(firstWeb, (line) => logger().info(line)).catch((e: unknown) =>
      logger().warn({ err: e }, 'demo certification did not complete'),
    )
  }
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  await Promise.all(children.map((c) => c.stop()))
  await stopEmbeddedDatabase().catch(() => {})
  process.exit(1)
})
