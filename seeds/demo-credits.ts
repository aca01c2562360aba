import { db } from '../services/platform/db/client.ts'
import { newId } from '../services/platform/db/ids.ts'
import { acceptGrant } from '../services/credits/accept-grant.ts'
import { decideGrant } from '../services/credits/decide-grant.ts'
import { pauseLot } from '../services/credits/pause-lot.ts'
import { proposeGrant } from '../services/credits/propose-grant.ts'
import { recordUsage } from '../services/credits/record-usage.ts'
import { proposeRevocation } from '../services/credits/revoke-grant.ts'
import { sendExpiryReminders } from '../services/credits/send-expiry-reminders.ts'
import { setProgramBudget } from '../services/credits/set-program-budget.ts'
import { takeSnapshot } from '../services/credits/take-snapshot.ts'
import { dayOfUsage } from '../fakes/ggml-cloud/simulate-usage.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { now, resetClock, travelTo } from '../services/platform/clock.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()

/**
 * The contributor program as it stands about a year in: last year's snapshot of a few hundred
 * contributors (taken from the local GitHub server), grants for the top 50 of every tier proposed by
 * the admin and approved by finance, most accepted, usage over the months since (one contributor ran
 * past their credits), a lot paused, a revocation waiting, and Cora's lot 13 days from expiry with its
 * 60- and 30-day reminders sent. Runs once.
 */
export async function seedDemoCredits(): Promise<void> {
  if ((await db().contributionSnapshot.count()) > 0) return
  const start = now().getTime()
  const accept = start - 365 * DAY + 13 * DAY // Cora's lot ends 13 days from today
  const snapshotAt = accept - 5 * DAY
  const snapDate = new Date(snapshotAt)
  const year = snapDate.getUTCMonth() === 11 ? snapDate.getUTCFullYear() : snapDate.getUTCFullYear() - 1
  const user = async (email: string) => actorForUser((await db().user.findUniqueOrThrow({ where: { email } })).id)
  try {
    travelTo(iso(snapshotAt))
    const admin = await user('admin@ggml.example')
    const finance = await user('finance@ggml.example')
    await setProgramBudget(admin, { year, budget: '60000' })
    await takeSnapshot(admin, { year })
    const ranked = await db().contributorScore.findMany({
      where: { snapshot: { year }, rank: { lte: 50 } },
      orderBy: { rank: 'asc' },
    })
    for (const [i, c] of ranked.entries())
      await proposeGrant(admin, { year, login: c.login, category: i % 7 === 3 ? 'inference' : '' })
    travelTo(iso(snapshotAt + DAY))
    const grants = await db().creditGrant.findMany({ where: { year }, orderBy: { amountMinor: 'desc' } })
    for (const g of grants) await decideGrant(finance, { grantId: g.id, decision: 'approve' })

    // Cora holds the top contributor's account (her commit email is her sign-in).
    const cora = await db().user.findUniqueOrThrow({ where: { email: 'contributor@ggml.example' } })
    const accounts: string[] = []
    for (const [i, g] of grants.entries()) {
      if (i % 9 === 8) continue // some have not accepted yet
      const mine = g.email === cora.email
      const at = mine ? accept : accept + ((i % 5) - 2) * DAY
      travelTo(iso(at))
      let userId = mine ? cora.id : null
      if (!userId) {
        const u = await db().user.upsert({
          where: { email: g.email },
          create: { id: newId(), email: g.email, name: g.login, passwordHash: null },
          update: {},
        })
        userId = u.id
      }
      await db().membership.upsert({
        where: { userId_organizationId: { userId, organizationId: g.organizationId } },
        create: { id: newId(), userId, organizationId: g.organizationId, role: 'contributor' },
        update: {},
      })
      await db().invitation.updateMany({
        where: { organizationId: g.organizationId, acceptedAt: null },
        data: { acceptedAt: new Date(at) },
      })
      const scope = await tenantScope(await actorForUser(userId), { id: g.organizationId }, 'rewards.accept')
      await acceptGrant(scope, { grantId: g.id, terms: 'on', listPublicly: i % 3 === 0 ? 'on' : undefined })
      const org = await db().organization.findUniqueOrThrow({ where: { id: g.organizationId } })
      accounts.push(org.slug)
    }

    // Usage since: every three weeks, a day of what each account used, as GGML Cloud reports it.
    let n = 0
    for (let t = accept + 7 * DAY; t < start - DAY; t += 21 * DAY) {
      travelTo(iso(t + DAY))
      const day = iso(t).slice(0, 10)
      for (const u of dayOfUsage(accounts, day, Math.floor(t / DAY)))
        await recordUsage(u, `demo-${day}-${u.account}-${n++}`)
    }
    // Reminders run daily; these are the runs 60 and 30 days before Cora's lot ends.
    for (const d of [60, 30]) {
      travelTo(iso(accept + 365 * DAY - d * DAY + DAY / 2))
      await sendExpiryReminders()
    }
    // One heavy user: more usage than their credits, billed by GGML Cloud.
    travelTo(iso(start - 2 * DAY))
    await recordUsage(
      {
        account: accounts[1]!,
        category: 'fine_tuning',
        amount: '1800.00',
        occurredAt: iso(start - 2 * DAY - 3_600_000),
      },
      'demo-heavy-fine-tune',
    )
    const active = await db().creditGrant.findMany({
      where: { year, grantedAt: { not: null } },
      orderBy: { login: 'asc' },
    })
    travelTo(iso(start - DAY))
    if (active[5]) await pauseLot(admin, { grantId: active[5].id, paused: 'yes' })
    if (active[7])
      await proposeRevocation(admin, {
        grantId: active[7].id,
        reason: 'Account shared with a company team, against the terms.',
      })
  } finally {
    resetClock()
  }
}
