import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { parseEnv } from 'node:util'
import { z } from 'zod'

/**
 * Where the demo's processes listen, and how the local fakes hand their settings to the others. One
 * layout from PORT so several demos can run side by side: web processes on PORT, PORT+1…, the worker's
 * health on PORT+4, the fakes on PORT+5 to PORT+9 (the identity provider keeps PORT+5, where demo
 * databases made before the fakes had a process of their own expect it). Each port can be set alone.
 */
const port = z.coerce.number().int().min(1).max(65535)
const layoutSchema = z.object({
  PORT: port.default(3000),
  WORKER_PORT: port.optional(),
  DEMO_WEB_PROCESSES: z.coerce
    .number()
    .int()
    .min(1, 'DEMO_WEB_PROCESSES is 1 to 4')
    .max(4, 'DEMO_WEB_PROCESSES is 1 to 4')
    .default(1),
  FAKES_WEB_URL: z.url().optional(),
  FAKES_IDP_PORT: port.optional(),
  FAKES_STRIPE_PORT: port.optional(),
  FAKES_DOCUSIGN_PORT: port.optional(),
  FAKES_DOCUSIGN_SIGNING_PORT: port.optional(),
  FAKES_GITHUB_PORT: port.optional(),
})

export interface DemoLayout {
  webPorts: number[]
  workerPort: number
  /** Where Stripe and DocuSign Connect send their webhooks: the (first) web process. */
  webUrl: string
  idpPort: number
  stripePort: number
  docusignPort: number
  docusignSigningPort: number
  githubPort: number
}

export function demoLayout(vars: Record<string, string | undefined> = process.env): DemoLayout {
  const present = Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== '' && v !== undefined))
  const parsed = layoutSchema.safeParse(present)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`)
    throw new Error(`Invalid environment:\n${lines.join('\n')}`)
  }
  const o = parsed.data
  return {
    webPorts: Array.from({ length: o.DEMO_WEB_PROCESSES }, (_, i) => o.PORT + i),
    workerPort: o.WORKER_PORT ?? o.PORT + 4,
    webUrl: o.FAKES_WEB_URL ?? `http://127.0.0.1:${o.PORT}`,
    idpPort: o.FAKES_IDP_PORT ?? o.PORT + 5,
    stripePort: o.FAKES_STRIPE_PORT ?? o.PORT + 6,
    docusignPort: o.FAKES_DOCUSIGN_PORT ?? o.PORT + 7,
    docusignSigningPort: o.FAKES_DOCUSIGN_SIGNING_PORT ?? o.PORT + 8,
    githubPort: o.FAKES_GITHUB_PORT ?? o.PORT + 9,
  }
}

/** `<DATA_DIR>/fakes.env`: the settings a web or worker process needs to reach the fakes. */
export const fakesEnvPath = (dataDir: string): string => path.join(dataDir, 'fakes.env')

/**
 * Written whole (a temporary file renamed over it), 0600, as KEY='value' lines that Node's
 * `--env-file`, `util.parseEnv` and a shell's `set -a; . fakes.env` all read the same way.
 */
export function writeFakesEnv(file: string, vars: Record<string, string>): void {
  const lines = Object.entries(vars).map(([k, v]) => {
    if (/['\n\r]/.test(v)) throw new Error(`${k} cannot be written to ${file}: it holds a quote or a line break`)
    return `${k}='${v}'`
  })
  mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(
    tmp,
    `# Written by server/fakes.ts: the demo's local fakes, for every other process.\n${lines.join('\n')}\n`,
    {
      mode: 0o600,
    },
  )
  renameSync(tmp, file)
}

export function readFakesEnv(file: string): Record<string, string> | undefined {
  if (!existsSync(file)) return undefined
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>
}

/**
 * The fakes stand in only for what is not configured: a service whose own settings are present (a real
 * Stripe test account, say) keeps them, and none of that service's fake settings are applied.
 */
const groups: { configuredBy: string; prefixes: string[] }[] = [
  { configuredBy: 'STRIPE_SECRET_KEY', prefixes: ['STRIPE_'] },
  { configuredBy: 'DOCUSIGN_INTEGRATION_KEY', prefixes: ['DOCUSIGN_'] },
  { configuredBy: 'GITHUB_TOKEN', prefixes: ['GITHUB_'] },
  { configuredBy: 'CLOUD_SERVICE_TOKEN', prefixes: ['CLOUD_SERVICE_TOKEN'] },
]

export function fakesFor(
  fakes: Record<string, string>,
  own: Record<string, string | undefined> = process.env,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fakes).filter(([key]) => {
      const group = groups.find((g) => g.prefixes.some((p) => key.startsWith(p)))
      return !group || !own[group.configuredBy]
    }),
  )
}
