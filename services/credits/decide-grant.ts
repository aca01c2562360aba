import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { linkToken, sha256 } from '../identity/tokens.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { INVITATION_TTL_MS } from '../organizations/team.ts'
import { appUrl } from '../platform/config/env.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { now, nowMs } from '../platform/clock.ts'
import { refusedBy } from './db-refusal.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { usd } from './program-terms.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const decideGrantSchema = z.object({
  grantId: z.string().trim().min(1).max(64),
  decision: z.enum(['approve', 'reject']),
  /** Why a grant is rejected (the inbox asks for it); kept in the audit log. */
  reason: z.string().trim().max(500).optional(),
})

/**
 * A second person approves or rejects a proposed grant. Approval is refused past the year's budget
 * (the database counts approvals one after the other) and invites the contributor by email to their
 * account, where they accept the program terms; a contributor already holding the account is told.
 */
export async function decideGrant(actor: Actor, input: z.input<typeof decideGrantSchema>) {
  assertCanAsStaff(actor, 'rewards.approve')
  const { grantId, decision, reason } = parseInput(decideGrantSchema, input)
  const grant = await unscopedDb('staff view').creditGrant.findUnique({ where: { id: grantId } })
  if (!grant || grant.status !== 'proposed') throw new AppError('not_found', 'No such proposal waits for a decision.')
  if (grant.proposedById === actor.userId)
    throw new AppError('forbidden', 'You proposed this grant: another person decides it.')
  try {
    return await unscopedDb('staff view').$transaction(async (tx) => {
      const updated = await tx.creditGrant.updateMany({
        where: { id: grantId, status: 'proposed' },
        data: { status: decision === 'approve' ? 'approved' : 'rejected', decidedById: actor.userId, decidedAt: now() },
      })
      if (updated.count === 0) throw new AppError('conflict', 'Someone else decided this grant a moment ago.')
      if (decision === 'approve') {
        const member = await tx.membership.findFirst({
          where: { organizationId: grant.organizationId, user: { email: grant.email } },
          select: { id: true },
        })
        if (member)
          await enqueueJob(tx, 'email.send', {
            to: grant.email,
            ...renderEmail(
              `Your ${grant.year} ggml contributor credits`,
              [`You have been granted ${usd(grant.amountMinor)} in GGML Cloud credits for your work on ggml.`],
              { label: 'Accept your credits', url: `${appUrl()}/rewards` },
            ),
          })
        else {
          const id = newId()
          await tx.invitation.create({
            data: {
              id,
              organizationId: grant.organizationId,
              email: grant.email,
              role: 'contributor',
              tokenHash: sha256(linkToken('invitation-link', id)),
              invitedById: actor.userId,
              expiresAt: new Date(nowMs() + INVITATION_TTL_MS),
            },
          })
          await enqueueJob(tx, 'identity.send-invitation', { invitationId: id })
        }
      }
      await recordAuditEvent(tx, {
        actor: auditActorOf({ actor }),
        organizationId: grant.organizationId,
        action: `credits.grant.${decision}`,
        targetType: 'credit_grant',
        targetId: grant.id,
        changes: { login: grant.login, year: grant.year, amountMinor: grant.amountMinor.toString(), reason },
      })
      return { status: decision === 'approve' ? 'approved' : 'rejected' }
    })
  } catch (e) {
    if (refusedBy(e, 'exceed the program budget')) {
      const program = await unscopedDb('staff view').creditProgram.findUnique({ where: { year: grant.year } })
      const used = await unscopedDb('staff view').creditGrant.aggregate({
        where: { year: grant.year, status: 'approved' },
        _sum: { amountMinor: true },
      })
      const left = (program?.budgetMinor ?? 0n) - (used._sum.amountMinor ?? 0n)
      throw new AppError(
        'conflict',
        `Approving ${usd(grant.amountMinor)} would exceed the ${grant.year} budget: ${usd(left)} is left.`,
      )
    }
    throw e
  }
}
