import { describe, expect, it } from 'vitest'
import { reviewBadge } from '#services/certification/review-badge.ts'
import { hybridTerms } from '#services/rating/sample-terms.ts'
import { db } from '#services/platform/db/client.ts'
import { newId } from '#services/platform/db/ids.ts'
import { acceptedResultRows } from '../support/certification.ts'
import { actorFor } from '../support/contracts.ts'
import { createUser, ggmlOrganization } from '../support/fixtures.ts'
import { signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// Issue 29's attacker review: a badge decision posted again (a double click, a replayed inbox form, two
// engineers at once) revoked again and told the partner twice, and an approval raised a revoked badge.
livingAt()

async function heldBadge() {
  const c = await signedContractFor(hybridTerms())
  const { requestId, resultId } = await acceptedResultRows(c.partner.id)
  const id = newId()
  await db().certBadge.create({
    data: { id, organizationId: c.partner.id, requestId, resultId, assurance: 'held', summary: {} },
  })
  const engineer = await actorFor((await createUser((await ggmlOrganization()).id, 'certification_engineer')).id)
  return { id, engineer }
}

/** Each revocation is audited in the transaction that revokes, with the partner's webhook event. */
const revocations = (badgeId: string) =>
  db().auditEvent.count({ where: { targetId: badgeId, action: 'cert_badge.reject' } })

describe('a badge decision is taken once', () => {
  it('refuses a second revocation and an approval of a revoked badge, and tells the partner once', async () => {
    const b = await heldBadge()
    await reviewBadge(b.engineer, b.id, 'reject', 'measured on another product')
    await expect(reviewBadge(b.engineer, b.id, 'reject', 'again')).rejects.toThrow('already revoked')
    await expect(reviewBadge(b.engineer, b.id, 'approve', 'after all')).rejects.toThrow('already revoked')
    expect(await revocations(b.id)).toBe(1)
    expect((await db().certBadge.findUniqueOrThrow({ where: { id: b.id } })).assurance).toBe('held')
  })

  it('lets one of two racing revocations through', async () => {
    const b = await heldBadge()
    const results = await Promise.allSettled([
      reviewBadge(b.engineer, b.id, 'reject', 'first'),
      reviewBadge(b.engineer, b.id, 'reject', 'second'),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(await revocations(b.id)).toBe(1)
  })
})
