import { randomUUID } from 'node:crypto'
import { createRequestHandler } from '@react-router/express'
import express, { type Express } from 'express'
import type { ServerBuild } from 'react-router'
import type { ViteDevServer } from 'vite'
import { checkHealth } from '../services/health/check-health.ts'
import { logger } from '../services/observability/logger.ts'
import { metrics } from '../services/observability/metrics.ts'
import { runWithRequestContext } from '../services/observability/request-context.ts'
import { routeLabeler } from './route-label.ts'

type BuildSource = { build: ServerBuild } | { vite: ViteDevServer }

export async function createApp(source: BuildSource): Promise<Express> {
  const app = express()
  app.disable('x-powered-by')
  app.set('trust proxy', process.env.TRUST_PROXY === 'true' ? true : 'loopback')

  let labelRoute: (path: string) => string = () => 'unmatched'
  if ('build' in source) labelRoute = routeLabeler(source.build.routes)

  app.use((req, res, next) => {
    const requestId = (req.get('x-request-id') ?? '').slice(0, 100) || randomUUID()
    res.setHeader('x-request-id', requestId)
    res.setHeader('x-content-type-options', 'nosniff')
    res.setHeader('referrer-policy', 'same-origin')
    res.setHeader('x-frame-options', 'DENY')
    const end = metrics().httpDuration.startTimer()
    const started = performance.now()
    res.on('finish', () => {
      const expressRoute = (req.route as { path?: string } | undefined)?.path
      const route = req.path.startsWith('/assets/')
        ? '/assets'
        : typeof expressRoute === 'string' && !expressRoute.includes('*')
          ? expressRoute
          : labelRoute(req.path)
      end({ method: req.method, route, status: String(res.statusCode) })
      runWithRequestContext({ requestId }, () =>
        logger().info(
          {
            method: req.method,
            path: req.path,
            route,
            status: res.statusCode,
            ms: Math.round(performance.now() - started),
          },
          'request',
        ),
      )
    })
    runWithRequestContext({ requestId, ip: req.ip, userAgent: req.get('user-agent') }, next)
  })

  app.get('/healthz', async (_req, res) => {
    const health = await checkHealth()
    res.status(health.ok ? 200 : 503).json(health)
  })
  app.get('/metrics', async (_req, res) => {
    res.type(metrics().registry.contentType).send(await metrics().registry.metrics())
  })

  if ('vite' in source) {
    app.use(source.vite.middlewares)
    app.all('/{*splat}', async (req, res, next) => {
      try {
        const build = (await source.vite.ssrLoadModule('virtual:react-router/server-build')) as ServerBuild
        return createRequestHandler({ build })(req, res, next)
      } catch (err) {
        next(err)
      }
    })
  } else {
    app.use('/assets', express.static('build/client/assets', { immutable: true, maxAge: '1y' }))
    app.use(express.static('build/client', { maxAge: '1h' }))
    app.all('/{*splat}', createRequestHandler({ build: source.build }))
  }
  return app
}
