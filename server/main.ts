import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { env } from '../services/config/env.ts'
import { logger } from '../services/observability/logger.ts'
import { bootInfrastructure, startBackground } from './boot.ts'
import { createApp } from './app.ts'
import { installProcessGuards } from '../services/observability/process-guards.ts'

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

  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    logger().info({ signal }, 'shutting down')
    server.close()
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
