import { contractNumber } from '../contracts/contract-number.ts'
import { termsAuthors } from '../contracts/terms-authors.ts'
import { usd } from '../credits/program-terms.ts'
import { moneyIn } from '../engagements/engagement-money.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { isoDay, ROWS_PER_SOURCE, type InboxSourceReader } from './inbox-item.ts'
import { readStringList } from '../platform/db/json-column.ts'

// A second finance user decides a note; whoever requested it never does (decide-adjustment.ts).
const notesFor = (actor: Actor) => ({ status: 'pending' as const, requestedById: { not: actor.userId } })

export const waitingAdjustments: InboxSourceReader = {
  source: 'adjustment',
  applies: (actor) => canAsStaff(actor, 'adjustments.approve'),
  count: (actor) => allPartnersScope(actor, 'adjustments.approve').db.adjustment.count({ where: notesFor(actor) }),
  async list(actor) {
    const { db } = allPartnersScope(actor, 'adjustments.approve')
    const notes = await db.adjustment.findMany({
      where: notesFor(actor),
      include: { organization: { select: { name: true } } },
      orderBy: { createdAt: 'asc' },
      take: ROWS_PER_SOURCE,
    })
    return notes.map((a) => ({
      source: 'adjustment',
      id: a.id,
      organizationId: a.organizationId,
      kind: a.amountMinor < 0n ? 'Credit note' : 'Debit note',
      title: `${a.organization.name}: ${moneyIn(a.amountMinor < 0n ? -a.amountMinor : a.amountMinor, a.currency)}`,
      detail: a.reason,
      since: isoDay(a.createdAt),
      href: '/finance/adjustments',
      approveBlocked: null,
    }))
  },
}

// Whoever wrote, changed or submitted the terms never approves them (approve-contract.ts, termsAuthors).
async function decidableVersions(actor: Actor) {
  const { db } = allPartnersScope(actor, 'contracts.approve')
  const versions = await db.contractVersion.findMany({
    where: {
      state: 'pending_approval',
      createdById: { not: actor.userId },
      submittedById: { not: actor.userId },
    },
    include: {
      contract: { select: { title: true, seq: true, createdAt: true, organization: { select: { name: true } } } },
    },
    orderBy: { submittedAt: 'asc' },
  })
  const events = await db.contractEvent.findMany({
    where: { contractVersionId: { in: versions.map((v) => v.id) } },
    select: { contractVersionId: true, type: true, actorUserId: true },
  })
  return versions.filter(
    (v) =>
      !termsAuthors(
        v,
        events.filter((e) => e.contractVersionId === v.id),
      ).has(actor.userId),
  )
}

const number = (c: { seq: number; createdAt: Date }) => contractNumber(c.seq, c.createdAt)

export const waitingContractVersions: InboxSourceReader = {
  source: 'contract_version',
  applies: (actor) => canAsStaff(actor, 'contracts.approve'),
  count: async (actor) => (await decidableVersions(actor)).length,
  async list(actor) {
    return (await decidableVersions(actor)).slice(0, ROWS_PER_SOURCE).map((v) => ({
      source: 'contract_version',
      id: v.id,
      organizationId: v.organizationId,
      kind: 'Contract terms',
      title: `${v.contract.organization.name}: ${v.contract.title} (${number(v.contract)} v${v.version})`,
      detail: `Outside the price book: ${readStringList(v.priceBookExceptions).join('; ')}`,
      since: isoDay(v.submittedAt ?? v.updatedAt),
      href: `/contracts/${v.contractId}`,
      approveBlocked: null,
    }))
  },
}

// Another person than the proposer decides a grant (decide-grant.ts).
const grantsFor = (actor: Actor) => ({ status: 'proposed' as const, proposedById: { not: actor.userId } })

export const waitingCreditGrants: InboxSourceReader = {
  source: 'credit_grant',
  applies: (actor) => canAsStaff(actor, 'rewards.approve'),
  count: (actor) => allPartnersScope(actor, 'rewards.approve').db.creditGrant.count({ where: grantsFor(actor) }),
  async list(actor) {
    const { db } = allPartnersScope(actor, 'rewards.approve')
    const grants = await db.creditGrant.findMany({
      where: grantsFor(actor),
      orderBy: { createdAt: 'asc' },
      take: ROWS_PER_SOURCE,
    })
    return grants.map((g) => ({
      source: 'credit_grant',
      id: g.id,
      organizationId: g.organizationId,
      kind: 'Credit grant',
      title: `${g.login}: ${usd(g.amountMinor)} of ${g.year} credits (${g.tier})`,
      detail: g.reason,
      since: isoDay(g.createdAt),
      href: '/rewards/program',
      approveBlocked: null,
    }))
  },
}
