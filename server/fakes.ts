import { mkdirSync, writeFileSync } from 'node:fs'
import { bootLocalDocuSign } from '../fakes/docusign/boot-local-docusign.ts'
import { bootLocalGitHub } from '../fakes/github/boot-local-github.ts'
import { bootLocalSamlIdp } from '../fakes/saml-idp/local-saml-idp.ts'
import { bootLocalStripe } from '../fakes/stripe/local-stripe.ts'
import { demoIdpUsers } from '../seeds/demo-sso.ts'
import { dataDir, env } from '../services/platform/config/env.ts'
import { logger } from '../services/platform/observability/logger.ts'
import { demoLayout, fakesEnvPath, writeFakesEnv } from './fakes-settings.ts'

// `npm run fakes` (or a child of the demo's supervisor, server/demo.ts): the local Stripe, DocuSign,
// GitHub and SAML identity provider in one process of their own, on fixed ports, with their state under
// DATA_DIR, so every web and worker process reaches the same fakes by URL. Their settings (API bases,
// keys, webhook secrets) go to <DATA_DIR>/fakes.env; the other processes read them as their ordinary
// STRIPE_*, DOCUSIGN_*, GITHUB_* and CLOUD_SERVICE_TOKEN configuration. For the demo and development only.
const layout = demoLayout()
const file = fakesEnvPath(dataDir())
// DATA_DIR itself stays enterable by others (the embedded PostgreSQL runs as its own user); each fake's
// directory below it is made 0700.
mkdirSync(dataDir(), { recursive: true })

const stripe = await bootLocalStripe({
  dir: dataDir('stripe-local'),
  webhookUrl: `${layout.webUrl}/webhooks/stripe`,
  port: layout.stripePort,
})
const docusign = await bootLocalDocuSign({
  dir: dataDir('docusign-local'),
  connectUrl: `${layout.webUrl}/webhooks/docusign`,
  apiPort: layout.docusignPort,
  uiPort: layout.docusignSigningPort,
})
// The JWT grant's private key and the server's CA travel as files, as a real account's would.
const privateKeyPath = dataDir('docusign-local', 'jwt-private-key.pem')
const caCertPath = dataDir('docusign-local', 'ca-cert.pem')
writeFileSync(privateKeyPath, docusign.config.privateKey, { mode: 0o600 })
writeFileSync(caCertPath, docusign.config.caCert ?? '', { mode: 0o600 })
const github = await bootLocalGitHub({ port: layout.githubPort, dir: dataDir('github-local') })
const idp = await bootLocalSamlIdp({ port: layout.idpPort, dir: dataDir('saml-idp-local'), users: demoIdpUsers })

writeFakesEnv(file, {
  STRIPE_SECRET_KEY: stripe.secretKey,
  STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
  STRIPE_API_BASE: stripe.apiBase,
  DOCUSIGN_INTEGRATION_KEY: docusign.config.integrationKey,
  DOCUSIGN_USER_ID: docusign.config.userId,
  DOCUSIGN_ACCOUNT_ID: docusign.config.accountId,
  DOCUSIGN_BASE_PATH: docusign.config.basePath,
  DOCUSIGN_OAUTH_BASE_PATH: docusign.config.oAuthBasePath,
  DOCUSIGN_PRIVATE_KEY_PATH: privateKeyPath,
  DOCUSIGN_CONNECT_HMAC_KEYS: docusign.config.hmacKeys.join(','),
  DOCUSIGN_CA_CERT_PATH: caCertPath,
  DOCUSIGN_SIGNING_ORIGINS: docusign.config.signingOrigins.join(','),
  GITHUB_API_URL: github.baseUrl,
  GITHUB_TOKEN: github.token,
  GITHUB_ORG: github.org,
  ...(!env().CLOUD_SERVICE_TOKEN && { CLOUD_SERVICE_TOKEN: github.cloudToken }),
  FAKES_IDP_METADATA_URL: idp.metadataUrl,
})
logger().info(
  {
    stripe: stripe.apiBase,
    docusign: docusign.apiBase,
    signing: docusign.uiBase,
    github: github.baseUrl,
    idp: idp.metadataUrl,
    settings: file,
  },
  'local fakes ready',
)

let stopping = false
const stop = (signal: string) => {
  if (stopping) return
  stopping = true
  logger().info({ signal }, 'local fakes stopping')
  // Webhooks already on their way are delivered first (they are not kept across a restart).
  void Promise.allSettled([stripe.settled(), docusign.settled()])
    .then(() => Promise.allSettled([stripe.close(), docusign.close(), github.close(), idp.close()]))
    .then(() => process.exit(0))
  setTimeout(() => process.exit(0), 5000).unref()
}
process.once('SIGINT', () => stop('SIGINT'))
process.once('SIGTERM', () => stop('SIGTERM'))
// Started by the demo's supervisor: when it is gone, so are the fakes.
process.once('disconnect', () => stop('supervisor gone'))
