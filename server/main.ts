import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ServerBuild } from 'react-router'
import { env } from '../services/config/env.ts'
import { logger } from '../services/observability/logger.ts'
import { bootInfrastructure, startBackground } from './boot.ts'
import { seedDemoData, printDemoSignIns } from '../seeds/demo.ts'
import { seedDemoContracts } from '../seeds/demo-contracts.ts'
import { seedDemoCertification } from '../seeds/demo-certification.ts'
import { bootLocalDocuSign } from '../fakes/docusign/boot-local-docusign.ts'
import { isDocuSignConfigured } from '../services/docusign/docusign-config.ts'
import { bootLocalStripe } from '../fakes/stripe/local-stripe.ts'
import { isStripeConfigured } from '../services/billing/stripe-client.ts'
import { dataDir } from '../services/config/env.ts'
import { seedDemoCredits } from '../seeds/demo-credits.ts'
import { seedDemoServices } from '../seeds/demo-services.ts'
import { seedDemoTraining } from '../seeds/demo-training.ts'
import { bootLocalGitHub } from '../fakes/github/boot-local-github.ts'
import { createApp } from './app.ts'
import { installProcessGuards } from '../services/observability/process-guards.ts'
import { bootLocalSamlIdp } from '../fakes/saml-idp/local-saml-idp.ts'
import { demoIdpUsers, seedDemoSso } from '../seeds/demo-sso.ts'
import { isDeployment } from '../services/config/env.ts'

// `npm start` (built) and `npm run dev` (Vite): one process serving the web app and, unless
// WORKER_IN_PROCESS=false, running the job worker and outbox relay beside it.
async function main() {
  installProcessGuards('web')
  const config = env()
  const infra = await bootInfrastructure()
  // Without a DocuSign account configured, contracts go through the local DocuSign server.
  if (!isDocuSignConfigured()) {
    const local = await bootLocalDocuSign({
      dir: dataDir('docusign-local'),
      connectUrl: `http://127.0.0.1:${config.PORT}/webhooks/docusign`,
    })
    logger().info(
      { api: local.apiBase, signing: local.uiBase },
      'DocuSign is not configured: using the local DocuSign server',
    )
  }
  // Without Stripe keys, invoices go to the local Stripe server (with a hosted page to pay them).
  if (!isStripeConfigured()) {
    const local = await bootLocalStripe({
      dir: dataDir('stripe-local'),
      webhookUrl: `http://127.0.0.1:${config.PORT}/webhooks/stripe`,
    })
    logger().info({ api: local.apiBase }, 'Stripe is not configured: using the local Stripe server')
  }
  // Without a GitHub token, the contribution snapshot reads the local GitHub server's seeded organization;
  // without a GGML Cloud token, the demo makes one for its usage simulator.
  if (!config.GITHUB_TOKEN) {
    const local = await bootLocalGitHub()
    logger().info({ api: local.baseUrl }, 'GitHub is not configured: using the local GitHub server')
  }
  // Outside a deployment, the demo's organizations sign in through a local identity provider.
  const idp = isDeployment()
    ? undefined
    : await bootLocalSamlIdp({ port: config.PORT + 5, dir: dataDir('saml-idp-local'), users: demoIdpUsers }).catch(
        (err: unknown) => {
          logger().warn({ err }, 'the local identity provider did not start; demo single sign-on is off')
          return undefined
        },
      )
  if (idp) logger().info({ metadata: idp.metadataUrl }, 'local SAML identity provider')
  let seeded = false
  if (infra.freshEmbedded) {
    await seedDemoData()
    await seedDemoContracts()
    await seedDemoCredits()
    await seedDemoServices()
    await seedDemoTraining()
    if (idp) await seedDemoSso(idp)
    seeded = true
  }
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
    logger().info({ port: config.PORT }, 'listening')
    if (seeded || infra.embedded) printDemoSignIns(`http://localhost:${config.PORT}`)
    // The demo's certification is measured by the real runner, which talks to this server.
    if (seeded)
      void seedDemoCertification(`http://127.0.0.1:${config.PORT}`, (line) => logger().info(line)).catch((e) =>
        logger().warn({ err: e }, 'demo certification did not complete'),
      )
  })

  const shutdown = async (signal: string) => {
    logger().info({ signal }, 'shutting down')
    server.close()
    await background?.stop()
    process.exit(0)
  }
  process.once('SIGINT', () => void shutdown('SIGINT'))
  process.once('SIGTERM', () => void shutdown('SIGTERM'))
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
