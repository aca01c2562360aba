import { z } from 'zod'
import { Octokit } from '@octokit/rest'
import { env } from '../platform/config/env.ts'
import { shared } from '../platform/singleton.ts'

export interface GitHubSettings {
  baseUrl: string
  token: string
  org: string
}

const local = shared<GitHubSettings | undefined>('local-github', undefined)

/** Without a GitHub token configured, the local GitHub server registers itself here at boot. */
export function registerLocalGitHub(settings: GitHubSettings): void {
  local.value = settings
}

export function gitHubSettings(): GitHubSettings {
  const e = env()
  if (e.GITHUB_TOKEN) return { baseUrl: e.GITHUB_API_URL, token: e.GITHUB_TOKEN, org: e.GITHUB_ORG }
  if (local.value) return local.value
  throw new Error('GitHub is not configured: set GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise).')
}

/** Longest wait for a rate-limit reset before the snapshot gives up (it can be taken again). */
const MAX_WAIT_MS = 15 * 60_000

// What a failed Octokit request carries (its RequestError): the status and the response's headers.
const octokitError = z
  .looseObject({
    status: z.number().optional().catch(undefined),
    response: z
      .looseObject({ headers: z.record(z.string(), z.coerce.string().optional()) })
      .optional()
      .catch(undefined),
  })
  .catch({})

/**
 * The official client, pointed at the configured base URL. When GitHub says the rate limit is spent
 * (403 or 429 with `x-ratelimit-remaining: 0`, or a `retry-after`), it waits until the reset GitHub
 * names, measured against GitHub's own `date` header, and tries again.
 */
export function gitHubClient(s: GitHubSettings = gitHubSettings()): Octokit {
  const octokit = new Octokit({ baseUrl: s.baseUrl, auth: s.token, userAgent: 'ggml-partner-platform' })
  octokit.hook.wrap('request', async (request, options) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(options)
      } catch (error) {
        const e = octokitError.parse(error)
        const h = e.response?.headers ?? {}
        const limited =
          (e.status === 403 || e.status === 429) && (h['x-ratelimit-remaining'] === '0' || h['retry-after'])
        if (!limited || attempt >= 5) throw error
        const serverNow = h.date ? Date.parse(h.date) : Number.NaN
        const waitMs = h['retry-after']
          ? Number(h['retry-after']) * 1000
          : Number(h['x-ratelimit-reset']) * 1000 - (Number.isNaN(serverNow) ? 0 : serverNow) + 1000
        if (!(waitMs >= 0) || waitMs > MAX_WAIT_MS) throw error
        await new Promise((resolve) => setTimeout(resolve, Math.max(waitMs, 100)))
      }
    }
  })
  return octokit
}
