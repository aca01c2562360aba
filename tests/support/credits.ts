import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { acceptGrant } from '../../services/credits/accept-grant.ts'
import { decideGrant } from '../../services/credits/decide-grant.ts'
import { accountSlugOf, proposeGrant } from '../../services/credits/propose-grant.ts'
import type { CreditCategory } from '../../services/credits/program-terms.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { createUser, ggmlOrganization, unique } from './fixtures.ts'

/** A program manager (ggml admin) and a second approver (finance). */
export async function programStaff() {
  const ggml = await ggmlOrganization()
  const manager = await createUser(ggml.id, 'ggml_admin')
  const approver = await createUser(ggml.id, 'finance')
  return {
    manager,
    approver,
    managerActor: await actorForUser(manager.id),
    approverActor: await actorForUser(approver.id),
  }
}

let nextYear = 0
/** A program year no other test of this database uses, with its budget and a frozen snapshot. */
export async function programYear(
  budgetMinor: bigint,
  contributors: { login: string; email: string; rank: number }[],
): Promise<number> {
  if (!nextYear) {
    const top = await db().creditProgram.findFirst({ orderBy: { year: 'desc' } })
    nextYear = Math.max(top?.year ?? 0, 2040)
  }
  const year = ++nextYear
  await db().creditProgram.create({ data: { year, currency: 'USD', budgetMinor } })
  const snapshotId = newId()
  await db().contributionSnapshot.create({
    data: { id: snapshotId, year, source: 'test', takenAt: new Date(), takenById: 'test', repositories: 1 },
  })
  await db().contributorScore.createMany({
    data: contributors.map((c) => ({
      id: newId(),
      snapshotId,
      login: c.login,
      mergedLogins: [],
      email: c.email,
      name: c.login,
      mergedPulls: 100 - c.rank,
      reviews: 0,
      issuesTriaged: 0,
      score: (100 - c.rank) * 10,
      rank: c.rank,
      excluded: null,
    })),
  })
  return year
}

export const someContributor = () => {
  const login = unique('dev')
  return { login, email: `${login}@example.test`, rank: 1 }
}

export interface LotSpec {
  amount: string
  category?: CreditCategory
  acceptAt: string
}

/**
 * A contributor holding the given lots, each granted through the real services (proposed by the
 * manager, approved by finance, accepted by the contributor at `acceptAt`, which moves the clock).
 */
export async function contributorWithLots(lots: LotSpec[], who = someContributor()) {
  const staff = await programStaff()
  let userId: string | null = null
  const grantIds: string[] = []
  for (const lot of lots) {
    const year = await programYear(10_000_000n, [who])
    const g = await proposeGrant(staff.managerActor, {
      year,
      login: who.login,
      amount: lot.amount,
      category: lot.category ?? '',
      reason: 'test lot',
    })
    await decideGrant(staff.approverActor, { grantId: g.id, decision: 'approve' })
    if (!userId) userId = (await createUser(g.organizationId, 'contributor', who.email)).id
    travelTo(lot.acceptAt)
    const scope = await tenantScope(await actorForUser(userId), { id: g.organizationId }, 'rewards.accept')
    await acceptGrant(scope, { grantId: g.id, terms: 'on' })
    grantIds.push(g.id)
  }
  const org = await db().organization.findUniqueOrThrow({ where: { slug: accountSlugOf(who.login) } })
  return { ...who, userId: userId!, organization: org, grantIds, staff }
}
