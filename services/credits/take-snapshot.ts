import type { Octokit } from '@octokit/rest'
import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { env } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { isStaffRole } from '../identity/permissions.ts'
import { now } from '../platform/clock.ts'
import { gitHubClient, gitHubSettings, type GitHubSettings } from './github-client.ts'
import { scoreContributors, type RawContributor } from './score-contributors.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'

export const snapshotSchema = z.object({
  year: z.coerce
    .number('Enter the year, like 2026.')
    .int('Enter the year, like 2026.')
    .min(2023, 'The program started in 2023.')
    .max(2100, 'Enter the year, like 2026.'),
})

/**
 * Takes the year's snapshot of contribution activity in the organization's repositories through
 * GitHub's REST API (paginated, waiting out rate limits), scores it and stores it frozen: a year has
 * one snapshot, and nothing changes it afterwards (a trigger refuses updates to its rows).
 */
export async function takeSnapshot(
  actor: Actor,
  input: z.input<typeof snapshotSchema>,
  source?: { octokit: Octokit; settings: GitHubSettings },
) {
  assertCanAsStaff(actor, 'rewards.manage_program')
  const parsed = snapshotSchema.safeParse(input)
  if (!parsed.success)
    throw new AppError('invalid_input', 'Check the year.', { year: [parsed.error.issues[0]!.message] })
  const { year } = parsed.data
  if (Date.UTC(year, 11, 1) > now().getTime())
    throw new AppError('invalid_input', 'Check the year.', {
      year: [`${year}'s snapshot can be taken from 1 December ${year}, when the year's activity is nearly complete.`],
    })
  const taken = await unscopedDb('staff view').contributionSnapshot.findUnique({
    where: { year },
    select: { takenAt: true },
  })
  if (taken)
    throw new AppError('conflict', `The ${year} snapshot was taken on ${taken.takenAt.toISOString().slice(0, 10)}.`, {
      year: ['A year has one snapshot, frozen once taken.'],
    })
  const settings = source?.settings ?? gitHubSettings()
  const { raw, repositories } = await collectActivity(source?.octokit ?? gitHubClient(settings), settings.org, year)
  const staff = await staffIdentities()
  const scored = scoreContributors(raw, staff)
  const id = newId()
  await unscopedDb('staff view').$transaction(async (tx) => {
    await tx.contributionSnapshot.create({
      data: {
        id,
        year,
        source: `${settings.baseUrl} ${settings.org}`,
        takenAt: now(),
        takenById: actor.userId,
        repositories,
      },
    })
    await tx.contributorScore.createMany({
      data: scored.map((c) => ({
        id: newId(),
        snapshotId: id,
        login: c.login,
        mergedLogins: c.mergedLogins,
        email: c.email,
        name: c.name,
        mergedPulls: c.mergedPulls,
        reviews: c.reviews,
        issuesTriaged: c.issuesTriaged,
        score: c.score,
        rank: c.rank,
        excluded: c.excluded,
      })),
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf({ actor }),
      organizationId: null,
      action: 'credits.snapshot',
      targetType: 'contribution_snapshot',
      targetId: id,
      changes: { year, repositories, contributors: scored.length, ranked: scored.filter((c) => c.rank).length },
    })
  })
  return { id, year, contributors: scored.length, repositories }
}

/** ggml staff: the configured GitHub logins, and the email of everyone holding a staff role here. */
async function staffIdentities() {
  const members = await unscopedDb('staff view').membership.findMany({
    where: { organization: { kind: 'ggml' } },
    select: { role: true, user: { select: { email: true } } },
  })
  return {
    logins: new Set(env().REWARDS_STAFF_LOGINS),
    emails: new Set(members.filter((m) => isStaffRole(m.role)).map((m) => m.user.email.toLowerCase())),
  }
}

async function collectActivity(octokit: Octokit, org: string, year: number) {
  const from = `${year}-01-01T00:00:00Z`
  const until = `${year + 1}-01-01T00:00:00Z`
  const inYear = (at: string | null | undefined) => !!at && at >= from && at < until
  const people = new Map<string, RawContributor>()
  const person = (login: string, type?: string) => {
    let p = people.get(login)
    if (!p) {
      p = { login, bot: false, name: null, emails: [], mergedPulls: 0, reviews: 0, issuesTriaged: 0 }
      people.set(login, p)
    }
    if (type === 'Bot' || login.endsWith('[bot]')) p.bot = true
    return p
  }
  const repos = await octokit.paginate(octokit.rest.repos.listForOrg, { org, type: 'public', per_page: 100 })
  const active = repos.filter((r) => !r.archived && !r.fork)
  for (const repo of active) {
    const pulls = await octokit.paginate(octokit.rest.pulls.list, {
      owner: org,
      repo: repo.name,
      state: 'closed',
      per_page: 100,
    })
    for (const pull of pulls) {
      if (!inYear(pull.merged_at) || !pull.user) continue
      const author = person(pull.user.login, pull.user.type)
      author.mergedPulls++
      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
        owner: org,
        repo: repo.name,
        pull_number: pull.number,
        per_page: 100,
      })
      // One review per reviewer and pull request, however many rounds it took; never one's own.
      const reviewers = new Set(reviews.flatMap((r) => (r.user && r.user.login !== pull.user!.login ? [r.user] : [])))
      for (const r of new Map([...reviewers].map((u) => [u.login, u])).values()) person(r.login, r.type).reviews++
    }
    const commits = await octokit.paginate(octokit.rest.repos.listCommits, {
      owner: org,
      repo: repo.name,
      since: from,
      until,
      per_page: 100,
    })
    for (const c of commits) {
      if (!c.author?.login || !c.commit.author?.email) continue
      const p = person(c.author.login, c.author.type)
      if (!p.emails.includes(c.commit.author.email)) p.emails.push(c.commit.author.email)
      p.name ??= c.commit.author.name ?? null
    }
    const events = await octokit.paginate(octokit.rest.issues.listEventsForRepo, {
      owner: org,
      repo: repo.name,
      per_page: 100,
    })
    for (const e of events) {
      if (!inYear(e.created_at) || !e.actor || e.issue?.pull_request) continue
      if (e.event === 'labeled' || e.event === 'assigned' || e.event === 'closed')
        person(e.actor.login, e.actor.type).issuesTriaged++
    }
  }
  return { raw: [...people.values()], repositories: active.length }
}
