import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { registerLocalCloudToken } from '../../services/credits/cloud-token.ts'
import { registerLocalGitHub } from '../../services/credits/github-client.ts'
import { env } from '../../services/platform/config/env.ts'
import { nowMs } from '../../services/platform/clock.ts'
import { seededGitHubYears, startLocalGitHub } from './local-github.ts'

/**
 * The demo's GitHub: the seeded ggml-org with three years of activity by a few hundred contributors,
 * the most active being the demo's contributor (her commit email is her sign-in). Also makes the
 * service token of the demo's GGML Cloud simulator when none is configured. With a directory, both
 * tokens survive a restart, so processes that were handed them keep working (server/fakes.ts).
 */
export async function bootLocalGitHub(opts: { port?: number; dir?: string } = {}) {
  const year = new Date(nowMs()).getUTCFullYear()
  const tokens = loadOrCreateTokens(opts.dir)
  const local = await startLocalGitHub({
    token: tokens.token,
    port: opts.port,
    data: seededGitHubYears([year - 2, year - 1, year], 300, {
      login: 'cora-codes',
      type: 'User',
      name: 'Cora Contributor',
      email: 'contributor@ggml.example',
    }),
  })
  registerLocalGitHub({ baseUrl: local.baseUrl, token: tokens.token, org: 'ggml-org' })
  const cloudToken = env().CLOUD_SERVICE_TOKEN ?? tokens.cloudToken
  if (!env().CLOUD_SERVICE_TOKEN) registerLocalCloudToken(cloudToken)
  return { ...local, token: tokens.token, org: 'ggml-org', cloudToken }
}

function loadOrCreateTokens(dir?: string): { token: string; cloudToken: string } {
  const file = dir ? path.join(dir, 'secrets.json') : undefined
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { token: string; cloudToken: string }
  const tokens = {
    token: `ghp_local_${randomBytes(16).toString('hex')}`,
    cloudToken: `cloud_local_${randomBytes(24).toString('hex')}`,
  }
  if (file && dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(file, JSON.stringify(tokens), { mode: 0o600 })
  }
  return tokens
}
