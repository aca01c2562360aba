import { RECIPIENTS, scoreOf, type Activity } from './program-terms.ts'

export interface RawContributor extends Activity {
  login: string
  bot: boolean
  name: string | null
  emails: string[]
}

export interface ScoredContributor extends Activity {
  login: string
  mergedLogins: string[]
  email: string | null
  name: string | null
  score: number
  rank: number | null
  excluded: 'bot' | 'staff' | null
}

/**
 * Turns a year's raw activity into the ranking: accounts sharing a commit email are one person (the
 * account with the most merged pull requests keeps the name), bots and ggml staff are excluded, and
 * the rest are ranked by score (ties by login, so the ranking never depends on input order).
 */
export function scoreContributors(
  raw: RawContributor[],
  staff: { logins: ReadonlySet<string>; emails: ReadonlySet<string> },
): ScoredContributor[] {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let r = x
    while (parent.get(r) !== r) r = parent.get(r)!
    parent.set(x, r)
    return r
  }
  for (const c of raw) parent.set(c.login, c.login)
  const byEmail = new Map<string, string>()
  for (const c of raw.filter((c) => !c.bot))
    for (const e of c.emails.map((e) => e.toLowerCase())) {
      if (e.endsWith('@users.noreply.github.com')) continue
      const other = byEmail.get(e)
      if (other) parent.set(find(c.login), find(other))
      else byEmail.set(e, c.login)
    }
  const groups = new Map<string, RawContributor[]>()
  for (const c of raw) {
    const root = find(c.login)
    groups.set(root, [...(groups.get(root) ?? []), c])
  }
  const people: ScoredContributor[] = [...groups.values()].map((members) => {
    members.sort((a, b) => b.mergedPulls - a.mergedPulls || a.login.localeCompare(b.login))
    const head = members[0]!
    const sum = (k: keyof Activity) => members.reduce((s, m) => s + m[k], 0)
    const activity = { mergedPulls: sum('mergedPulls'), reviews: sum('reviews'), issuesTriaged: sum('issuesTriaged') }
    const emails = [...new Set(members.flatMap((m) => m.emails.map((e) => e.toLowerCase())))].sort()
    const isStaff =
      members.some((m) => staff.logins.has(m.login.toLowerCase())) || emails.some((e) => staff.emails.has(e))
    return {
      login: head.login,
      mergedLogins: members.slice(1).map((m) => m.login),
      email: emails.find((e) => !e.endsWith('@users.noreply.github.com')) ?? emails[0] ?? null,
      name: head.name,
      ...activity,
      score: scoreOf(activity),
      rank: null,
      excluded: members.some((m) => m.bot) ? 'bot' : isStaff ? 'staff' : null,
    }
  })
  people.sort((a, b) => b.score - a.score || a.login.localeCompare(b.login))
  let rank = 0
  for (const p of people) if (!p.excluded && p.score > 0) p.rank = ++rank
  return people
}

export const isRecipientRank = (rank: number | null) => rank !== null && rank <= RECIPIENTS
