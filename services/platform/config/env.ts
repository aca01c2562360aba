import { createPrivateKey } from 'node:crypto'
import path from 'node:path'
import { z } from 'zod'
import { shared } from '../singleton.ts'

/**
 * Every variable the platform reads, validated once at boot; a bad value stops the process with a
 * message naming the variable. A real deployment (NODE_ENV=production without DEMO) must bring its
 * secrets and third-party accounts; the demo and development generate or fake what is missing.
 */
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1')
const pem = (what: string) =>
  z
    .string()
    .transform((v) => v.replaceAll('\\n', '\n'))
    .refine((v) => {
      try {
        createPrivateKey(v)
        return true
      } catch {
        return false
      }
    }, `${what} must be a PEM private key (\\n escapes allowed)`)

const trustProxy = z
  .string()
  .trim()
  .refine(
    (v) => v === 'none' || v === 'fly' || v.split(',').every((p) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(p.trim())),
    'TRUST_PROXY is none, fly (read Fly-Client-IP), or the proxy addresses whose X-Forwarded-For to trust ' +
      '(comma-separated IPs or CIDRs)',
  )

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DEMO: flag.default(false),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    APP_URL: z.url().optional(),
    /** The owner's connection: migrations run with it, and it provisions the app role (decision 020). */
    DATABASE_URL: z.url().optional(),
    /**
     * The application's connection, as a role that owns nothing. Unset: DATABASE_URL's server and
     * database as ggml_app, with a password derived from the owner's (services/platform/db/app-role.ts). Set
     * without DATABASE_URL: the process holds no owner credentials and migrates nothing (production's
     * web and worker; the release runs `npm run db:migrate` as the owner).
     */
    APP_DATABASE_URL: z.url().optional(),
    REDIS_URL: z.url().optional(),
    DATA_DIR: z.string().default('.data'),
    /** DNS servers for domain verification (host or host:port, comma-separated); the system's when unset. */
    DNS_SERVERS: z
      .string()
      .regex(/^[0-9a-fA-F:.[\],]+$/, 'DNS_SERVERS lists addresses like 1.1.1.1,8.8.8.8:53')
      .optional(),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).max(43_200).default(720),
    SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    METRICS_TOKEN: z.string().min(24, 'METRICS_TOKEN must be at least 24 characters').optional(),
    /**
     * A port of its own where /metrics answers without a token, for a scraper on the private network
     * (Fly's [[metrics]] cannot send one). Never route this port publicly.
     */
    METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    TRUST_PROXY: trustProxy.default('none'),
    RESEND_API_KEY: z.string().min(1).optional(),
    RESEND_BASE_URL: z.url().optional(),
    MAIL_FROM: z.string().default('GGML Partner Platform <platform@ggml.example>'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    WORKER_IN_PROCESS: flag.default(true),
    /** Where `npm run worker` answers /livez, /readyz and /metrics. */
    WORKER_PORT: z.coerce.number().int().min(1).max(65535).default(8081),
    /** A web or worker process whose event loop stalls this long kills itself for its supervisor; 0: never. */
    WATCHDOG_STALL_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_:-]+$/, 'REDIS_PREFIX uses letters, digits, _ : -')
      .default('ggml'),
    SIGN_IN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    SIGN_IN_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
    /**
     * A request body that sends nothing for this long, or that averages under BODY_MIN_BYTES_PER_SECOND
     * once BODY_RATE_GRACE_SECONDS have passed, is refused with 408 (server/body-pace.ts): a slow client
     * holds a pooled connection while its report streams into the database (issue 24). Only time the
     * server spends waiting on the client counts.
     */
    BODY_IDLE_SECONDS: z.coerce.number().int().min(1).max(600).default(15),
    /** 0 turns the floor off; the idle deadline still applies. */
    BODY_MIN_BYTES_PER_SECOND: z.coerce.number().int().min(0).max(10_000_000).default(1000),
    BODY_RATE_GRACE_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
    /**
     * Streamed report uploads one process receives at once, from all organizations together: below the
     * staging pool's 8 connections, so credit usage always finds one (services/platform/db/pg-pool.ts).
     */
    UPLOADS_IN_FLIGHT_PER_PROCESS: z.coerce
      .number()
      .int()
      .min(1)
      .max(
        6,
        'UPLOADS_IN_FLIGHT_PER_PROCESS is at most 6: the staging pool has 8 connections and credit usage needs some',
      )
      .default(4),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(/^(sk|rk)_/, 'STRIPE_SECRET_KEY starts with sk_ or rk_')
      .optional(),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_/, 'STRIPE_WEBHOOK_SECRET starts with whsec_')
      .optional(),
    STRIPE_API_BASE: z.url().optional(),
    DOCUSIGN_INTEGRATION_KEY: z.string().min(1).optional(),
    DOCUSIGN_USER_ID: z.string().min(1).optional(),
    DOCUSIGN_ACCOUNT_ID: z.string().min(1).optional(),
    DOCUSIGN_BASE_PATH: z.url().optional(),
    DOCUSIGN_OAUTH_BASE_PATH: z.string().min(1).optional(),
    DOCUSIGN_PRIVATE_KEY: pem('DOCUSIGN_PRIVATE_KEY').optional(),
    DOCUSIGN_PRIVATE_KEY_PATH: z.string().min(1).optional(),
    DOCUSIGN_CONNECT_HMAC_KEYS: z.string().min(1).optional(),
    DOCUSIGN_CA_CERT_PATH: z.string().min(1).optional(),
    /** Where signers are sent to sign (origins, comma-separated); DocuSign's own hosts when unset. */
    DOCUSIGN_SIGNING_ORIGINS: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url({ message: 'DOCUSIGN_SIGNING_ORIGINS lists origins like https://demo.docusign.net' })))
      .optional(),
    /** GitHub's REST API for the contribution snapshot; without a token, the local GitHub server. */
    GITHUB_API_URL: z.url().default('https://api.github.com'),
    GITHUB_TOKEN: z.string().min(1).optional(),
    GITHUB_ORG: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/, 'GITHUB_ORG is an organization login')
      .default('ggml-org'),
    /** GitHub logins of ggml staff, excluded from rewards (staff with platform accounts are excluded by email). */
    REWARDS_STAFF_LOGINS: z
      .string()
      .default('')
      .transform((s) =>
        s
          .split(',')
          .map((l) => l.trim().toLowerCase())
          .filter(Boolean),
      ),
    /** GGML Cloud's bearer token for POST /api/v1/credits/usage; without it, usage is refused. */
    CLOUD_SERVICE_TOKEN: z.string().min(32, 'CLOUD_SERVICE_TOKEN must be at least 32 characters').optional(),
    CERT_ISSUER_KEY: pem('CERT_ISSUER_KEY').optional(),
    /**
     * Public keys (multibase, z6Mk…) of issuer keys rotated out: still published, so credentials they
     * signed keep verifying. Separate several with spaces or commas.
     */
    CERT_ISSUER_RETIRED_KEYS: z
      .string()
      .default('')
      .transform((s) => s.split(/[\s,]+/).filter(Boolean))
      .pipe(
        z.array(
          z
            .string()
            .regex(
              /^z6Mk[1-9A-HJ-NP-Za-km-z]{40,60}$/,
              'CERT_ISSUER_RETIRED_KEYS holds Ed25519 public keys in multibase (z6Mk…), as the key document shows them',
            ),
        ),
      ),
    /** Webhook endpoints on http and on private or loopback addresses (issue 32): never in a deployment. */
    WEBHOOKS_ALLOW_LOCAL: flag.optional(),
    CERT_MAX_CV: z.coerce
      .number()
      .gt(0, 'CERT_MAX_CV is a fraction above 0, like 0.1 for 10%')
      .max(10, 'CERT_MAX_CV is a fraction, like 0.1 for 10%')
      .default(0.1),
    /**
     * ggml's legal entity and bank account as its documents print them (invoices, statements, credit notes,
     * statements of work; issue 28). The defaults are the demo's: a deployment sets its own.
     */
    ISSUER_LEGAL_NAME: z.string().trim().min(1).max(200).default('ggml.ai Ltd.'),
    /** Lines separated by "\n" escapes or real line breaks. */
    ISSUER_ADDRESS: z
      .string()
      .default('1 Example Street\\nSofia 1000\\nBulgaria')
      .transform((v) =>
        v
          .replaceAll('\\n', '\n')
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().max(200)).min(1, 'ISSUER_ADDRESS needs at least one line').max(8)),
    ISSUER_TAX_ID: z.string().trim().min(1).max(40).default('BG000000000'),
    ISSUER_EMAIL: z.email('ISSUER_EMAIL is an email address').default('billing@ggml.example'),
    BANK_NAME: z.string().trim().min(1).max(200).default('Example Bank AD'),
    BANK_IBAN: z
      .string()
      .transform((v) => v.replaceAll(' ', '').toUpperCase())
      .pipe(
        z.string().regex(/^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$/, 'BANK_IBAN is an IBAN, like BG80 BNBG 9661 1020 3456 78'),
      )
      .default('BG00EXMP00000000000000'),
    BANK_BIC: z
      .string()
      .regex(/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/, 'BANK_BIC is a SWIFT/BIC code of 8 or 11 characters')
      .default('EXMPBGSF'),
    /** Printed beside the tax line: why an invoice carries no tax, or which tax it carries. */
    INVOICE_TAX_NOTE: z
      .string()
      .trim()
      .max(300)
      .default('No VAT charged: reverse charge, the customer accounts for any tax due.'),
    /** Tests only: a crash test kills the process at this point (services/platform/config/crash-points.ts). */
    CRASH_AT: z
      .enum([
        'relay:after-add',
        'posting:report-stored',
        'posting:upload-posted',
        'posting:rated',
        'posting:before-commit',
      ])
      .optional(),
  })
  .superRefine((e, ctx) => {
    const missing = (name: string, why: string) => ctx.addIssue({ code: 'custom', path: [name], message: why })
    const docusign = [
      'DOCUSIGN_INTEGRATION_KEY',
      'DOCUSIGN_USER_ID',
      'DOCUSIGN_ACCOUNT_ID',
      'DOCUSIGN_BASE_PATH',
      'DOCUSIGN_OAUTH_BASE_PATH',
      'DOCUSIGN_CONNECT_HMAC_KEYS',
    ] as const
    if (docusign.some((k) => e[k])) {
      for (const k of docusign) if (!e[k]) missing(k, `${k} is needed with the other DOCUSIGN_* settings`)
      if (!e.DOCUSIGN_PRIVATE_KEY && !e.DOCUSIGN_PRIVATE_KEY_PATH)
        missing('DOCUSIGN_PRIVATE_KEY', 'set DOCUSIGN_PRIVATE_KEY or DOCUSIGN_PRIVATE_KEY_PATH')
    }
    if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET)
      missing('STRIPE_WEBHOOK_SECRET', 'STRIPE_WEBHOOK_SECRET is needed with STRIPE_SECRET_KEY')
    if (e.NODE_ENV !== 'production' || e.DEMO) return
    if (e.WEBHOOKS_ALLOW_LOCAL)
      missing('WEBHOOKS_ALLOW_LOCAL', 'a deployment never sends webhooks over http or to private addresses')
    const deploy = (name: keyof typeof e, why: string) => {
      if (!e[name]) missing(name, `${name} is required in production: ${why}`)
    }
    deploy('APP_URL', 'the public https:// address used in emails and credentials')
    if (e.APP_URL && !e.APP_URL.startsWith('https://')) missing('APP_URL', 'APP_URL must be https:// in production')
    if (!e.DATABASE_URL && !e.APP_DATABASE_URL)
      missing(
        'APP_DATABASE_URL',
        'APP_DATABASE_URL (or DATABASE_URL) is required in production: ' +
          'the embedded PostgreSQL is for the demo and development',
      )
    deploy('REDIS_URL', 'a Redis the platform can keep its queues in')
    deploy('SESSION_SECRET', 'it keys CSRF tokens and link signatures; a new one per deploy would sign everyone out')
    deploy('CERT_ISSUER_KEY', 'badge and certificate credentials must stay verifiable across deploys')
    deploy('METRICS_TOKEN', '/metrics answers only with this bearer token')
    deploy('RESEND_API_KEY', 'the local mailbox is for the demo; production mail goes through Resend')
    deploy('STRIPE_SECRET_KEY', 'the local Stripe server is for the demo')
    deploy('GITHUB_TOKEN', 'the local GitHub server is for the demo')
    deploy('CLOUD_SERVICE_TOKEN', 'GGML Cloud reports credit usage with it')
  })

export type Env = z.infer<typeof schema>

// Shared by every copy of this module in the process (the built app bundles its own).
const cached = shared<Env | undefined>('env', undefined)

export function parseEnv(vars: Record<string, string | undefined>): Env {
  // An empty variable means unset, as in most deploy tools' UIs.
  const present = Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== '' && v !== undefined))
  const parsed = schema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid environment:\n${lines.join('\n')}`)
  }
  return parsed.data
}

export function env(): Env {
  return (cached.value ??= parseEnv(process.env))
}

/** Tests change variables between cases (an app server's URL); the next read validates again. */
export function reloadEnv(): Env {
  cached.value = undefined
  return env()
}

export function dataDir(...parts: string[]): string {
  return path.resolve(env().DATA_DIR, ...parts)
}

export function appUrl(): string {
  return env().APP_URL ?? `http://localhost:${env().PORT}`
}

/** A real deployment: production mode, not the demo. Secrets are required and cookies are Secure. */
export const isDeployment = (): boolean => env().NODE_ENV === 'production' && !env().DEMO
export const isProductionMode = (): boolean => env().NODE_ENV === 'production'
