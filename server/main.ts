import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { env } from '../services/platform/config/env.ts'
import { logger } from '../services/platform/observability/logger.ts'
import { bootInfrastructure, startBackground } from './boot.ts'
import { createApp, startMetricsListener } from './app.ts'
import { installProcessGuards } from '../services/platform/observability/process-guards.ts'

// `npm start`: one web process serving the built app and, unless WORKER_IN_PROCESS=false, running the job
// worker and outbox relay beside it. Third-party services are reached through their configuration only;
// the demo's data and local fakes live elsewhere (server/demo.ts and server/fakes.ts run them).
async function main() {
  installProcessGuards('web')
  const config = env()
  const infra = await bootInfrastructure()
  const background = config.WORKER_IN_PROCESS ? startBackground() : undefined

  let app
  if (config.NODE_ENV === 'development') {
    const vite = await import('vite')
    const server = await vite.createServer({ server: { middlewareMode: true } })
    app = await createApp({ vite: server })
  } else {
    const buildPath = path.resolve('build/server/index.js')
    const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild
    app = await createApp({ build })
  }
  const server = app.listen(config.PORT, () => {
    logger().info({ port: config.PORT, embedded: infra.embedded, worker: Boolean(background) }, 'listening')
  })
  // Set deliberately (issue 24), not left to Node's defaults. A client gets 20 s to send its headers (a
  // slowloris holds nothing longer). The whole request may take 30 minutes: an honest 150 MB report over
  // a modest 1 Mbit/s uplink takes 20 (Node's default of 5 minutes would cut off anything under 4 Mbit/s);
  // a slow or stalled body is stopped long before by the body's own deadline and floor (BODY_IDLE_SECONDS,
  // server/body-pace.ts). An idle keep-alive connection stays open 65 s, longer than a proxy keeps its
  // idle connections to us (60 s is the usual default), so the proxy never sends on one we are closing.
  const metricsServer = config.METRICS_PORT ? startMetricsListener(config.METRICS_PORT) : undefined
  server.headersTimeout = 20_000
  server.requestTimeout = 30 * 60_000
  server.keepAliveTimeout = 65_000

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger().info({ signal }, 'shutting down')
    server.close()
    metricsServer?.close()
    await background?.stop()
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
  // Started by the demo's supervisor (server/demo.ts) over IPC: when it is gone, so is this process.
  process.once('disconnect', () => void shutdown('supervisor gone'))
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
