import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { seededGitHubData, startLocalGitHub } from '../../fakes/github/local-github.ts'
import { db } from '../../services/platform/db/client.ts'
import { decideGrant } from '../../services/credits/decide-grant.ts'
import { expireLots } from '../../services/credits/expire-lots.ts'
import { gitHubClient } from '../../services/credits/github-client.ts'
import { accountSlugOf, proposeGrant } from '../../services/credits/propose-grant.ts'
import { recordUsage } from '../../services/credits/record-usage.ts'
import { decideRevocation, proposeRevocation } from '../../services/credits/revoke-grant.ts'
import { sendExpiryReminders } from '../../services/credits/send-expiry-reminders.ts'
import { takeSnapshot } from '../../services/credits/take-snapshot.ts'
import { accountBalances } from '../../services/ledger/balances.ts'
import { contributorAccount } from '../../services/credits/contributor-account.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { resetClock, travelTo } from '../../services/platform/clock.ts'
import { contributorWithLots, programStaff, programYear, someContributor } from '../support/credits.ts'
import { createUser, ggmlOrganization, unique } from '../support/fixtures.ts'

afterEach(() => resetClock())

const usage = (account: string, amount: string, occurredAt: string, category = 'inference') => ({
  account,
  category,
  amount,
  occurredAt,
})

/** What the books say the contributor holds (their credit account is a liability: credits minus debits). */
async function bookBalance(organizationId: string) {
  const b = await accountBalances(db(), organizationId)
  return -(b.find((x) => x.type === 'contributor_credit')?.balanceMinor ?? 0n)
}

async function drawn(grantId: string) {
  const d = await db().creditDraw.aggregate({ where: { grantId }, _sum: { amountMinor: true } })
  return d._sum.amountMinor ?? 0n
}

describe('the contribution snapshot', () => {
  it('reads GitHub’s API: every page, through rate limits, without bots or staff, one person once', async () => {
    const data = seededGitHubData({ year: 2025, contributors: 60, seed: 7 })
    const token = unique('ghp')
    // Every 150th request is refused for the rate limit until the reset a second later.
    const gh = await startLocalGitHub({ data, token, rateLimitEvery: 150 })
    try {
      const ggml = await ggmlOrganization()
      const manager = await createUser(ggml.id, 'ggml_admin')
      // A staff member's commit email excludes them.
      const staffer = data.users[5]!
      await createUser(ggml.id, 'certification_engineer', staffer.email)
      travelTo('2025-12-10T10:00:00Z')
      const { actorForUser } = await import('../../services/identity/sessions.ts')
      const actor = await actorForUser(manager.id)
      const settings = { baseUrl: gh.baseUrl, token, org: data.org }
      const source = { octokit: gitHubClient(settings), settings }
      const snap = await takeSnapshot(actor, { year: 2025 }, source)
      expect(gh.stats.rateLimited).toBeGreaterThan(0)
      const rows = await db().contributorScore.findMany({ where: { snapshotId: snap.id } })
      // Pages: llama.cpp has 243 closed pull requests, three pages of 100; each was read.
      const merged = data.repos.flatMap((r) => r.pulls).filter((p) => p.mergedAt)
      expect(rows.reduce((s, r) => s + r.mergedPulls, 0)).toBe(merged.length)
      expect(rows.find((r) => r.login === 'github-actions[bot]')?.excluded).toBe('bot')
      expect(rows.find((r) => r.login === 'github-actions[bot]')?.rank).toBeNull()
      expect(rows.find((r) => r.login === staffer.login)?.excluded).toBe('staff')
      const twin = data.users[3]!
      const person = rows.find((r) => r.login === twin.login || r.mergedLogins.includes(twin.login))!
      expect([person.login, ...person.mergedLogins].sort()).toEqual([twin.login, `${twin.login}-work`].sort())
      expect(rows.some((r) => r.login === `${twin.login}-work` && r.mergedLogins.length === 0)).toBe(false)
      // Score = 10 × merged + 3 × reviews + 1 × triaged, ranks dense from 1 over those not excluded.
      for (const r of rows) expect(r.score).toBe(r.mergedPulls * 10 + r.reviews * 3 + r.issuesTriaged)
      const ranks = rows.filter((r) => r.rank !== null).map((r) => r.rank!)
      expect(ranks.sort((a, b) => a - b)).toEqual(ranks.map((_, i) => i + 1))
      // Frozen: a second snapshot of the year is refused, and its rows cannot be changed.
      await expect(takeSnapshot(actor, { year: 2025 }, source)).rejects.toThrow(/was taken/)
      await expect(db().contributorScore.update({ where: { id: rows[0]!.id }, data: { score: 1 } })).rejects.toThrow()
    } finally {
      await gh.close()
    }
  })
})

describe('grants', () => {
  it('are decided by a second person, and concurrent approvals never exceed the budget', async () => {
    const staff = await programStaff()
    const people = Array.from({ length: 6 }, (_, i) => ({ ...someContributor(), rank: i + 1 }))
    const year = await programYear(500_000n, people) // $5,000: two gold grants and a half
    const grants = []
    for (const p of people.slice(0, 5)) grants.push(await proposeGrant(staff.managerActor, { year, login: p.login }))
    // The proposer cannot approve their own proposal, and the database refuses it too.
    await expect(decideGrant(staff.managerActor, { grantId: grants[0]!.id, decision: 'approve' })).rejects.toThrow(
      /another person/,
    )
    await expect(
      db().creditGrant.update({ where: { id: grants[0]!.id }, data: { decidedById: staff.manager.id } }),
    ).rejects.toThrow()
    const secondApprover = await programStaff()
    const results = await Promise.allSettled(
      grants.map((g, i) =>
        decideGrant(i % 2 ? secondApprover.approverActor : staff.approverActor, { grantId: g.id, decision: 'approve' }),
      ),
    )
    const approved = await db().creditGrant.aggregate({
      where: { year, status: 'approved' },
      _sum: { amountMinor: true },
    })
    expect(approved._sum.amountMinor).toBe(400_000n)
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2)
    for (const r of results.filter((r) => r.status === 'rejected'))
      expect(String((r as PromiseRejectedResult).reason)).toMatch(/exceed the \d+ budget: \$1,000.00 is left/)
    // Each approval invited its contributor to their own account, once.
    const invited = await db().invitation.findMany({ where: { email: { in: people.map((p) => p.email) } } })
    expect(invited).toHaveLength(2)
    expect(new Set(invited.map((i) => i.role))).toEqual(new Set(['contributor']))
  })

  it('are revoked by two people: what is left leaves the lot, spent credits stay spent', async () => {
    const c = await contributorWithLots([{ amount: '1000', acceptAt: '2041-01-10T00:00:00Z' }])
    travelTo('2041-02-01T00:00:00Z')
    await recordUsage(usage(c.organization.slug, '250.00', '2041-01-20T00:00:00Z'), unique('k'))
    await proposeRevocation(c.staff.managerActor, { grantId: c.grantIds[0]!, reason: 'Shared with a company.' })
    await expect(
      decideRevocation(c.staff.managerActor, { grantId: c.grantIds[0]!, decision: 'approve' }),
    ).rejects.toThrow(/another person/)
    const r = await decideRevocation(c.staff.approverActor, { grantId: c.grantIds[0]!, decision: 'approve' })
    expect(r.revokedMinor).toBe(75_000n)
    expect(await bookBalance(c.organization.id)).toBe(0n)
    const after = await recordUsage(usage(c.organization.slug, '10.00', '2041-02-01T00:00:00Z'), unique('k'))
    expect(after.covered).toBe('0.00')
  })
})

describe('spending', () => {
  it('50 concurrent usage reports against one balance never overdraw it', async () => {
    const c = await contributorWithLots([{ amount: '500', acceptAt: '2042-01-10T00:00:00Z' }])
    travelTo('2042-03-01T00:00:00Z')
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        recordUsage(
          usage(c.organization.slug, '25.00', `2042-02-01T00:00:${String(i).padStart(2, '0')}Z`),
          unique('k'),
        ),
      ),
    )
    const covered = results.reduce((s, r) => s + Number(r.covered), 0)
    const uncovered = results.reduce((s, r) => s + Number(r.uncovered), 0)
    expect(covered).toBe(500)
    expect(uncovered).toBe(750)
    expect(await drawn(c.grantIds[0]!)).toBe(50_000n)
    expect(await bookBalance(c.organization.id)).toBe(0n)
  })

  it('spends once per idempotency key, also when the retries race; another body under the key is refused', async () => {
    const c = await contributorWithLots([{ amount: '500', acceptAt: '2043-01-10T00:00:00Z' }])
    travelTo('2043-03-01T00:00:00Z')
    const key = unique('usage')
    const body = usage(c.organization.slug, '40.00', '2043-02-01T00:00:00Z')
    const all = await Promise.all(Array.from({ length: 10 }, () => recordUsage(body, key)))
    expect(new Set(all.map((r) => r.usageId)).size).toBe(1)
    expect(await drawn(c.grantIds[0]!)).toBe(4_000n)
    const again = await recordUsage(body, key)
    expect(again.replayed).toBe(true)
    await expect(recordUsage({ ...body, amount: '41.00' }, key)).rejects.toThrow(/different usage report/)
    expect(await drawn(c.grantIds[0]!)).toBe(4_000n)
  })

  it('reports racing for several accounts go in together; a bad one is refused alone (decision 061)', async () => {
    const a = await contributorWithLots([{ amount: '500', acceptAt: '2044-01-10T00:00:00Z' }])
    const b = await contributorWithLots([{ amount: '500', acceptAt: '2044-01-10T00:00:00Z' }])
    travelTo('2044-03-01T00:00:00Z')
    // A key the books already hold: in a group, the draws it would have counted must not be taken.
    const taken = unique('k')
    const first = await recordUsage(usage(a.organization.slug, '30.00', '2044-02-01T00:00:00Z'), taken)
    const at = (i: number) => `2044-02-02T00:00:${String(i).padStart(2, '0')}Z`
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 12 }, (_, i) =>
        recordUsage(usage((i % 2 ? a : b).organization.slug, '40.00', at(i)), unique('k')),
      ),
      recordUsage(usage(a.organization.slug, '30.00', '2044-02-01T00:00:00Z'), taken),
      recordUsage(usage(`gh-nobody-${unique('x')}`, '10.00', at(20)), unique('k')),
      recordUsage(usage(b.organization.slug, '99.00', at(21)), taken),
    ])
    const value = (i: number) => (outcomes[i] as PromiseFulfilledResult<Awaited<ReturnType<typeof recordUsage>>>).value
    expect(outcomes.slice(0, 13).map((o) => o.status)).toEqual(Array(13).fill('fulfilled'))
    expect(outcomes.slice(0, 12).every((_, i) => value(i).covered === '40.00' && !value(i).replayed)).toBe(true)
    expect(value(12)).toMatchObject({ usageId: first.usageId, replayed: true, covered: '30.00' })
    expect(outcomes[13]).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/No contributor/) },
    })
    expect(outcomes[14]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/different/) } })
    expect(await drawn(a.grantIds[0]!)).toBe(27_000n)
    expect(await drawn(b.grantIds[0]!)).toBe(24_000n)
    expect(await bookBalance(a.organization.id)).toBe(23_000n)
    expect(await bookBalance(b.organization.id)).toBe(26_000n)
  })

  it('a report whose lots another transaction holds is answered busy; others are written meanwhile', async () => {
    const a = await contributorWithLots([{ amount: '500', acceptAt: '2045-01-10T00:00:00Z' }])
    const b = await contributorWithLots([{ amount: '500', acceptAt: '2045-01-10T00:00:00Z' }])
    travelTo('2045-03-01T00:00:00Z')
    const holder = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await holder.connect()
    try {
      await holder.query('BEGIN')
      await holder.query(`SELECT 1 FROM "CreditGrant" WHERE "id" = $1 FOR UPDATE`, [a.grantIds[0]])
      const [held, free] = await Promise.allSettled([
        recordUsage(usage(a.organization.slug, '10.00', '2045-02-01T00:00:00Z'), unique('k')),
        recordUsage(usage(b.organization.slug, '10.00', '2045-02-01T00:00:00Z'), unique('k')),
      ])
      expect(held).toMatchObject({
        status: 'rejected',
        reason: { code: 'busy', message: expect.stringMatching(/retry/) },
      })
      expect(free).toMatchObject({ status: 'fulfilled', value: { covered: '10.00' } })
    } finally {
      await holder.query('ROLLBACK')
      await holder.end()
    }
    expect(await drawn(a.grantIds[0]!)).toBe(0n)
    expect(await drawn(b.grantIds[0]!)).toBe(1_000n)
  })

  it('draws soonest expiry first, then restricted, then oldest; a restricted lot pays only its category', async () => {
    const c = await contributorWithLots([
      { amount: '500', acceptAt: '2044-03-01T00:00:00Z' }, // unrestricted, expires last
      { amount: '500', category: 'storage', acceptAt: '2044-02-01T00:00:00Z' }, // storage only, expires first
      { amount: '500', category: 'inference', acceptAt: '2044-02-15T00:00:00Z' },
    ])
    const [any, storage, inference] = c.grantIds
    travelTo('2044-04-01T00:00:00Z')
    const r1 = await recordUsage(usage(c.organization.slug, '600.00', '2044-03-20T00:00:00Z'), unique('k'))
    // Inference: the storage lot cannot pay; the inference lot (expiring sooner) pays before the open one.
    expect(r1.draws).toEqual([
      { lotId: inference, amount: '500.00' },
      { lotId: any, amount: '100.00' },
    ])
    const r2 = await recordUsage(usage(c.organization.slug, '450.00', '2044-03-21T00:00:00Z', 'storage'), unique('k'))
    expect(r2.draws).toEqual([{ lotId: storage, amount: '450.00' }])
    const r3 = await recordUsage(usage(c.organization.slug, '500.00', '2044-03-22T00:00:00Z', 'storage'), unique('k'))
    expect(r3.draws).toEqual([
      { lotId: storage, amount: '50.00' },
      { lotId: any, amount: '400.00' },
    ])
    expect(r3.uncovered).toBe('50.00')
  })

  it('labels a lot by what it holds, and "next expiry" is the next lot with something left (issue 30)', async () => {
    const c = await contributorWithLots([
      { amount: '500', acceptAt: '2046-02-01T00:00:00Z' },
      { amount: '1900', acceptAt: '2046-03-01T00:00:00Z' },
    ])
    travelTo('2046-04-01T00:00:00Z')
    await recordUsage(usage(c.organization.slug, '500.00', '2046-03-20T00:00:00Z'), unique('k'))
    const scope = await tenantScope(await actorForUser(c.userId), { id: c.organization.id }, 'rewards.view')
    const account = await contributorAccount(scope)
    // The contributor's rank is gold ($2,000); these lots hold $500 (bronze's amount) and $1,900 (no tier's).
    expect(account.lots.map((l) => [l.amountMinor, l.tier]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [50_000n, 'bronze'],
      [190_000n, 'custom amount'],
    ])
    // The $500 lot expires first but is empty: the next expiry is the $1,900.
    expect(account.schedule.map((s) => [s.lotId, s.amountMinor])).toEqual([[c.grantIds[1], 190_000n]])
  })

  it('refuses bad usage reports with a message and changes nothing', async () => {
    const c = await contributorWithLots([{ amount: '500', acceptAt: '2045-01-10T00:00:00Z' }])
    travelTo('2045-03-01T00:00:00Z')
    const before = await db().creditUsage.count({ where: { organizationId: c.organization.id } })
    for (const [body, pattern] of [
      [usage(c.organization.slug, '12.345', '2045-02-01T00:00:00Z'), /at most two decimals/],
      [usage(c.organization.slug, '-1', '2045-02-01T00:00:00Z'), /decimal string/],
      [usage(c.organization.slug, '0', '2045-02-01T00:00:00Z'), /above zero/],
      [usage(c.organization.slug, '1.00', 'yesterday'), /ISO 8601/],
      [usage(c.organization.slug, '1.00', '2045-02-01T00:00:00Z', 'gpu'), /service category/],
      [usage(c.organization.slug, '1.00', '2045-04-01T00:00:00Z'), /before it happens/],
      [usage('no-such-account', '1.00', '2045-02-01T00:00:00Z'), /No contributor account/],
    ] as const) {
      const err = await recordUsage(body, unique('k')).catch((e: unknown) => e as Error & { fieldErrors?: object })
      expect(
        `${err instanceof Error ? err.message : ''} ${JSON.stringify((err as { fieldErrors?: object }).fieldErrors)}`,
      ).toMatch(pattern)
    }
    expect(await db().creditUsage.count({ where: { organizationId: c.organization.id } })).toBe(before)
  })
})

describe('expiry and reminders, through the clock', () => {
  it('reminds at 60, 30 and 7 days once each, and expires at the end of the last day, once', async () => {
    const c = await contributorWithLots([{ amount: '500', acceptAt: '2046-01-15T10:00:00Z' }])
    const grant = await db().creditGrant.findUniqueOrThrow({ where: { id: c.grantIds[0]! } })
    // Accepted 2046-01-15: the last day is 2047-01-15, expired from 2047-01-16T00:00Z.
    expect(grant.expiresAt?.toISOString()).toBe('2047-01-16T00:00:00.000Z')
    travelTo('2046-06-01T00:00:00Z')
    await recordUsage(usage(c.organization.slug, '120.00', '2046-05-01T00:00:00Z'), unique('k'))
    // Reminders are written to the outbox with the reminder row, in one transaction.
    const mails = () =>
      db().outboxMessage.count({ where: { jobName: 'email.send', payload: { path: ['to'], equals: c.email } } })
    const before = await mails()
    for (const [at, expected] of [
      ['2046-11-16T09:00:00Z', 0], // 61 days before: nothing
      ['2046-11-17T09:00:00Z', 1], // 60 days
      ['2046-11-18T09:00:00Z', 1], // again: nothing new
      ['2046-12-17T09:00:00Z', 2], // 30 days
      ['2047-01-09T09:00:00Z', 3], // 7 days
      ['2047-01-10T09:00:00Z', 3],
    ] as const) {
      travelTo(at)
      await sendExpiryReminders()
      expect(await mails(), at).toBe(before + expected)
    }
    travelTo('2047-01-15T23:59:59Z')
    await expireLots()
    expect(await drawn(grant.id)).toBe(12_000n)
    travelTo('2047-01-16T00:00:00Z')
    await expireLots()
    await expireLots()
    const expiry = await db().creditDraw.findMany({ where: { grantId: grant.id, kind: 'expiry' } })
    expect(expiry.map((e) => e.amountMinor)).toEqual([38_000n])
    expect(await bookBalance(c.organization.id)).toBe(0n)
    const entry = await db().journalEntry.findFirstOrThrow({
      where: { organizationId: c.organization.id, kind: 'credit_expiry' },
    })
    expect(entry.effectiveDate.toISOString().slice(0, 10)).toBe('2047-01-15')
    const late = await recordUsage(usage(c.organization.slug, '5.00', '2047-01-16T00:00:00Z'), unique('k'))
    expect(late.covered).toBe('0.00')
  })
})

describe('contributor accounts', () => {
  it('are their own tenant: another contributor and partners see nothing of them', async () => {
    const a = await contributorWithLots([{ amount: '500', acceptAt: '2047-02-01T00:00:00Z' }])
    const b = await contributorWithLots([{ amount: '500', acceptAt: '2047-02-01T00:00:00Z' }])
    const { tenantScope } = await import('../../services/tenancy/tenant-guard.ts')
    const { actorForUser } = await import('../../services/identity/sessions.ts')
    await expect(tenantScope(await actorForUser(a.userId), { id: b.organization.id }, 'rewards.view')).rejects.toThrow(
      /No such organization/,
    )
    expect(accountSlugOf(b.login)).toBe(b.organization.slug)
  })
})
