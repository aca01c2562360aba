import express from 'express'
import { env } from '../services/platform/config/env.ts'
import { checkHealth } from '../services/platform/health/check-health.ts'
import { logger } from '../services/platform/observability/logger.ts'
import { installProcessGuards } from '../services/platform/observability/process-guards.ts'
import { bootInfrastructure, startBackground } from './boot.ts'
import { serveMetrics, startMetricsListener } from './app.ts'

// `npm run worker`: the job worker and outbox relay alone, for a separate Fly process group. It answers
// its own supervisor on WORKER_PORT: /livez (the process answers), /readyz (PostgreSQL, Redis and the
// job worker are up) and /metrics (jobs run and failed, under the same token rules as the web's).
installProcessGuards('worker')
const infra = await bootInfrastructure()
const background = startBackground()
const app = express()
app.disable('x-powered-by')
app.get('/livez', (_req, res) => {
  res.type('text/plain').send('ok')
})
app.get('/readyz', async (_req, res) => {
  const health = await checkHealth()
  const worker = background.worker.isRunning() ? 'ok' : 'the job worker is not running'
  const ok = health.ok && worker === 'ok'
  res.status(ok ? 200 : 503).json({ ok, checks: { ...health.checks, worker } })
})
app.get('/metrics', serveMetrics)
const server = app.listen(env().WORKER_PORT)
const metricsServer = env().METRICS_PORT ? startMetricsListener(env().METRICS_PORT!) : undefined
logger().info({ embedded: infra.embedded, port: env().WORKER_PORT }, 'worker started')
let stopping = false
// SIGINT, SIGTERM, or (started by the demo's supervisor over IPC, server/demo.ts) the supervisor gone.
for (const event of ['SIGINT', 'SIGTERM', 'disconnect'] as const) {
  process.once(event, () => {
    if (stopping) return
    stopping = true
    server.close()
    metricsServer?.close()
    void background.stop().then(() => process.exit(0))
  })
}
