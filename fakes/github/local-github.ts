import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local stand-in for the part of GitHub's REST API the contribution snapshot calls, for one seeded
 * organization: its repositories, closed pull requests, each pull request's reviews, commits (with
 * author emails) and issue events. It paginates with `Link` headers as GitHub does, requires the
 * token, and sends GitHub's rate-limit headers; `rateLimitEvery` makes every n-th request answer 403
 * with `x-ratelimit-remaining: 0` until the reset a second later, as GitHub does when the limit is spent.
 */
export interface GitHubUser {
  login: string
  type: 'User' | 'Bot'
  name: string
  email: string
}
export interface GitHubPull {
  number: number
  author: string
  mergedAt: string | null
  closedAt: string
  reviewers: string[]
}
export interface GitHubCommit {
  sha: string
  login: string | null
  email: string
  name: string
  date: string
}
export interface GitHubIssueEvent {
  id: number
  actor: string
  event: 'labeled' | 'closed' | 'assigned' | 'commented'
  createdAt: string
  isPull: boolean
}
export interface GitHubRepo {
  name: string
  pulls: GitHubPull[]
  commits: GitHubCommit[]
  events: GitHubIssueEvent[]
}
export interface GitHubData {
  org: string
  users: GitHubUser[]
  repos: GitHubRepo[]
}

export interface LocalGitHubOptions {
  data: GitHubData
  token: string
  rateLimitEvery?: number
  host?: string
  port?: number
}

export interface LocalGitHub {
  baseUrl: string
  /** Requests answered, and how many of them were refused for the rate limit. */
  stats: { requests: number; rateLimited: number }
  close(): Promise<void>
}

const PER_PAGE_MAX = 100

export async function startLocalGitHub(o: LocalGitHubOptions): Promise<LocalGitHub> {
  const stats = { requests: 0, rateLimited: 0 }
  const users = new Map(o.data.users.map((u) => [u.login, u]))
  const repos = new Map(o.data.repos.map((r) => [r.name, r]))
  let resetAt = 0
  const userJson = (login: string) => {
    const u = users.get(login)
    return { login, id: hashId(login), type: u?.type ?? 'User', html_url: `https://github.com/${login}` }
  }

  const server = http.createServer((req, res) => {
    stats.requests++
    const url = new URL(req.url ?? '/', 'http://local')
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      // Wall time: GitHub's reset is a real instant, not the platform's (travelling) clock.
      const nowS = Math.floor(Date.now() / 1000)
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        date: new Date(nowS * 1000).toUTCString(),
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': status === 403 ? '0' : '4999',
        'x-ratelimit-reset': String(status === 403 ? resetAt : nowS + 3600),
        'x-ratelimit-used': '1',
        'x-ratelimit-resource': 'core',
        ...headers,
      })
      res.end(JSON.stringify(body))
    }
    const auth = req.headers.authorization ?? ''
    if (auth !== `token ${o.token}` && auth !== `Bearer ${o.token}`)
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' })
    const nowS = Math.floor(Date.now() / 1000)
    if (o.rateLimitEvery && (nowS < resetAt || stats.requests % o.rateLimitEvery === 0)) {
      if (nowS >= resetAt) resetAt = nowS + 1
      stats.rateLimited++
      return send(403, { message: 'API rate limit exceeded', documentation_url: 'https://docs.github.com/rest' })
    }
    const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, PER_PAGE_MAX)
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1)
    const paged = (items: unknown[]) => {
      const last = Math.max(Math.ceil(items.length / perPage), 1)
      const link = (p: number, rel: string) => {
        const u = new URL(url)
        u.searchParams.set('page', String(p))
        u.searchParams.set('per_page', String(perPage))
        return `<http://${req.headers.host}${u.pathname}${u.search}>; rel="${rel}"`
      }
      const links = [
        ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
        ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
      ]
      send(200, items.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {})
    }
    const parts = url.pathname.split('/').filter(Boolean)
    if (parts[0] === 'orgs' && parts[1] === o.data.org && parts[2] === 'repos' && parts.length === 3)
      return paged(
        o.data.repos.map((r) => ({
          name: r.name,
          full_name: `${o.data.org}/${r.name}`,
          owner: { login: o.data.org },
          archived: false,
          fork: false,
        })),
      )
    if (parts[0] !== 'repos' || parts[1] !== o.data.org) return send(404, { message: 'Not Found' })
    const repo = repos.get(parts[2] ?? '')
    if (!repo) return send(404, { message: 'Not Found' })
    const rest = parts.slice(3).join('/')
    if (rest === 'pulls') {
      const state = url.searchParams.get('state') ?? 'open'
      const pulls = state === 'open' ? [] : repo.pulls
      return paged(
        pulls.map((p) => ({
          number: p.number,
          state: 'closed',
          user: userJson(p.author),
          merged_at: p.mergedAt,
          closed_at: p.closedAt,
          updated_at: p.closedAt,
        })),
      )
    }
    const reviews = /^pulls\/(\d+)\/reviews$/.exec(rest)
    if (reviews) {
      const pull = repo.pulls.find((p) => p.number === Number(reviews[1]))
      if (!pull) return send(404, { message: 'Not Found' })
      return paged(
        pull.reviewers.map((login, i) => ({
          id: pull.number * 100 + i,
          user: userJson(login),
          state: 'APPROVED',
          submitted_at: pull.closedAt,
        })),
      )
    }
    if (rest === 'commits') {
      const since = url.searchParams.get('since') ?? ''
      const until = url.searchParams.get('until') ?? '9999'
      return paged(
        repo.commits
          .filter((c) => c.date >= since && c.date <= until)
          .map((c) => ({
            sha: c.sha,
            commit: { author: { name: c.name, email: c.email, date: c.date } },
            author: c.login ? userJson(c.login) : null,
          })),
      )
    }
    if (rest === 'issues/events')
      return paged(
        repo.events.map((e) => ({
          id: e.id,
          event: e.event,
          actor: userJson(e.actor),
          created_at: e.createdAt,
          issue: { number: e.id, ...(e.isPull && { pull_request: { url: '' } }) },
        })),
      )
    send(404, { message: 'Not Found' })
  })
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, o.host ?? '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function hashId(s: string): number {
  let h = 2166136261
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h >>> 0
}

/** A seeded organization's year: deterministic from the seed (same seed, same data). */
export function seededGitHubData(opts: {
  year: number
  contributors: number
  seed?: number
  /** The first (most active) contributor, e.g. the demo's contributor with their platform email. */
  featured?: GitHubUser
}): GitHubData {
  let state = opts.seed ?? 42
  const rand = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0
    return state / 2 ** 32
  }
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!
  const users: GitHubUser[] = []
  for (let i = 0; i < opts.contributors; i++) {
    const login = `${pick(['ada', 'lin', 'kofi', 'mei', 'ivan', 'noor', 'sam', 'yuki', 'ravi', 'eli'])}-dev${i}`
    users.push({ login, type: 'User', name: `Contributor ${i}`, email: `${login}@users.example` })
  }
  if (opts.featured) users[0] = opts.featured
  users.push({ login: 'github-actions[bot]', type: 'Bot', name: 'GitHub Actions', email: 'actions@github.example' })
  users.push({ login: 'ggml-ci', type: 'Bot', name: 'ggml CI', email: 'ci@ggml.example' })
  // The same person with a second account: the same commit email.
  const twin = users[3]!
  users.push({ login: `${twin.login}-work`, type: 'User', name: twin.name, email: twin.email })
  const humans = users.filter((u) => u.type === 'User')
  const weight = humans.map((_, i) => 1 / (1 + i * 0.15)) // a long tail, as real projects have
  const total = weight.reduce((a, b) => a + b, 0)
  const someone = () => {
    let r = rand() * total
    for (let i = 0; i < humans.length; i++) if ((r -= weight[i]!) <= 0) return humans[i]!
    return humans.at(-1)!
  }
  const day = () => {
    const start = Date.UTC(opts.year, 0, 1)
    return new Date(start + Math.floor(rand() * 364) * 86_400_000 + 3_600_000).toISOString()
  }
  const repos: GitHubRepo[] = ['llama.cpp', 'ggml', 'whisper.cpp'].map((name, r) => {
    const pulls: GitHubPull[] = []
    const commits: GitHubCommit[] = []
    const events: GitHubIssueEvent[] = []
    const n = Math.round(opts.contributors * (r === 0 ? 4 : 1.5))
    for (let i = 1; i <= n; i++) {
      const author = i % 37 === 0 ? users.find((u) => u.type === 'Bot')! : someone()
      const at = day()
      const merged = rand() < 0.8
      const reviewers = [...new Set([someone().login, ...(rand() < 0.4 ? [someone().login] : [])])].filter(
        (l) => l !== author.login,
      )
      pulls.push({ number: i, author: author.login, mergedAt: merged ? at : null, closedAt: at, reviewers })
      if (merged)
        commits.push({
          sha: `${r}${i}`.padStart(40, '0'),
          login: author.login,
          email: author.email,
          name: author.name,
          date: at,
        })
    }
    // Commits from the second account, so both logins carry the shared email.
    if (r === 0) {
      const alt = users.at(-1)!
      for (let i = 0; i < 3; i++) {
        const at = day()
        pulls.push({ number: n + 1 + i, author: alt.login, mergedAt: at, closedAt: at, reviewers: [] })
        commits.push({ sha: `f${i}`.padStart(40, '0'), login: alt.login, email: alt.email, name: alt.name, date: at })
      }
    }
    for (let i = 1; i <= n; i++)
      events.push({
        id: r * 100_000 + i,
        actor: someone().login,
        event: pick(['labeled', 'closed', 'assigned', 'commented']),
        createdAt: day(),
        isPull: rand() < 0.3,
      })
    return { name, pulls, commits, events }
  })
  return { org: 'ggml-org', users, repos }
}

/** Several years of the seeded organization, one after the other in each repository. */
export function seededGitHubYears(years: number[], contributors: number, featured?: GitHubUser): GitHubData {
  const all = years.map((year, i) => seededGitHubData({ year, contributors, seed: 42 + i, featured }))
  const first = all[0]!
  return {
    org: first.org,
    users: first.users,
    repos: first.repos.map((r, k) => {
      let offset = 0
      const merged: GitHubRepo = { name: r.name, pulls: [], commits: [], events: [] }
      for (const d of all) {
        const repo = d.repos[k]!
        merged.pulls.push(...repo.pulls.map((p) => ({ ...p, number: p.number + offset })))
        merged.commits.push(...repo.commits.map((c) => ({ ...c, sha: `${offset}${c.sha}`.slice(-40) })))
        merged.events.push(...repo.events.map((e) => ({ ...e, id: e.id + offset * 10 })))
        offset += 1_000_000
      }
      return merged
    }),
  }
}
