import { randomBytes } from 'node:crypto'
import { registerLocalCloudToken } from '../../services/credits/cloud-token.ts'
import { registerLocalGitHub } from '../../services/credits/github-client.ts'
import { env } from '../../services/config/env.ts'
import { nowMs } from '../../services/platform/clock.ts'
import { seededGitHubYears, startLocalGitHub } from './local-github.ts'

/**
 * The demo's GitHub: the seeded ggml-org with three years of activity by a few hundred contributors,
 * the most active being the demo's contributor (her commit email is her sign-in). Also makes the
 * service token of the demo's GGML Cloud simulator when none is configured.
 */
export async function bootLocalGitHub() {
  const year = new Date(nowMs()).getUTCFullYear()
  const token = `ghp_local_${randomBytes(16).toString('hex')}`
  const local = await startLocalGitHub({
    token,
    data: seededGitHubYears([year - 2, year - 1, year], 300, {
      login: 'cora-codes',
      type: 'User',
      name: 'Cora Contributor',
      email: 'contributor@ggml.example',
    }),
  })
  registerLocalGitHub({ baseUrl: local.baseUrl, token, org: 'ggml-org' })
  if (!env().CLOUD_SERVICE_TOKEN) registerLocalCloudToken(`cloud_local_${randomBytes(24).toString('hex')}`)
  return local
}
