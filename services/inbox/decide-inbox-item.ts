import { z } from 'zod'
import { reviewBadge } from '../certification/review-badge.ts'
import { approveContractVersion } from '../contracts/approve-contract.ts'
import { returnToDraft } from '../contracts/return-to-draft.ts'
import { decideGrant } from '../credits/decide-grant.ts'
import { decideChangeOrder } from '../engagements/decide-change-order.ts'
import { decideExpense } from '../engagements/decide-expense.ts'
import { decideMilestone } from '../engagements/decide-milestone.ts'
import { decideTimesheet } from '../engagements/decide-timesheet.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import type { Permission } from '../identity/permissions.ts'
import { decideAdjustment } from '../ledger/decide-adjustment.ts'
import { tenantScope } from '../tenancy/tenant-guard.ts'
import { decideExamApproval } from '../training/decide-exam-approval.ts'
import { reviewItem } from '../training/review-item.ts'
import { inboxSources, type InboxSource } from './inbox-item.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const inboxDecisionSchema = z
  .object({
    source: z.enum(inboxSources, 'This kind of work cannot be decided from the inbox.'),
    id: z.string().trim().min(1).max(64),
    organizationId: z
      .string()
      .trim()
      .max(64)
      .optional()
      .transform((s) => s || undefined),
    decision: z.enum(['approve', 'return'], 'Approve it, or return it with a reason.'),
    reason: z
      .string()
      .trim()
      .max(500, 'Keep the reason under 500 characters.')
      .optional()
      .transform((s) => s || undefined),
  })
  .refine((f) => f.decision === 'approve' || f.reason, {
    path: ['reason'],
    message: 'Say why it goes back, so it can be fixed.',
  })

export type InboxDecision = z.output<typeof inboxDecisionSchema>

/** The permission each kind's own page opens its organization with; the use case asserts its own too. */
const scopedBy: Partial<Record<InboxSource, Permission>> = {
  timesheet: 'time.approve',
  expense: 'expenses.approve',
  milestone: 'milestones.accept',
  change_order: 'change_orders.decide',
  adjustment: 'adjustments.approve',
  contract_version: 'contracts.approve',
}

/**
 * A decision taken in the inbox (issue 29), handed to the use case the area's own page calls, with
 * the same tenancy guard and permission: the inbox adds no approval rule of its own, so four eyes,
 * states and budgets are refused exactly as there.
 */
export async function decideInboxItem(actor: Actor, input: z.input<typeof inboxDecisionSchema>) {
  const f = parseInput(inboxDecisionSchema, input)
  const approve = f.decision === 'approve'
  const permission = scopedBy[f.source]
  if (permission && !f.organizationId) throw new AppError('bad_request', 'Which organization is this work in?')
  const scope = permission ? await tenantScope(actor, { id: f.organizationId! }, permission) : null
  switch (f.source) {
    case 'timesheet':
      await decideTimesheet(scope!, { timesheetId: f.id, action: approve ? 'approve' : 'reject', reason: f.reason })
      break
    case 'expense':
      await decideExpense(scope!, { expenseId: f.id, decision: approve ? 'approve' : 'reject', reason: f.reason })
      break
    case 'milestone':
      await decideMilestone(scope!, { milestoneId: f.id, decision: approve ? 'accept' : 'return', reason: f.reason })
      break
    case 'change_order':
      await decideChangeOrder(scope!, {
        changeOrderId: f.id,
        decision: approve ? 'approve' : 'decline',
        reason: f.reason,
      })
      break
    case 'exam_item':
      await (approve
        ? reviewItem(actor, { versionId: f.id, decision: 'approve' })
        : reviewItem(actor, { versionId: f.id, decision: 'reject', note: f.reason ?? '' }))
      break
    case 'exam_request':
      await decideExamApproval(actor, { requestId: f.id, decision: approve ? 'approve' : 'decline', reason: f.reason })
      break
    case 'adjustment':
      await decideAdjustment(scope!, f.id, approve ? 'approve' : 'reject', f.reason)
      break
    case 'credit_grant':
      await decideGrant(actor, { grantId: f.id, decision: approve ? 'approve' : 'reject', reason: f.reason })
      break
    case 'contract_version':
      await (approve ? approveContractVersion(scope!, f.id) : returnToDraft(scope!, f.id, f.reason ?? ''))
      break
    case 'badge':
      await reviewBadge(actor, f.id, approve ? 'approve' : 'reject', f.reason ?? '')
      break
  }
  return { source: f.source, decision: f.decision }
}

/** What the inbox says after a decision, by kind: what happens next, in a sentence. */
export function inboxDecisionMessage(source: InboxSource, decision: 'approve' | 'return'): string {
  if (decision === 'return')
    return {
      timesheet: 'The week is back with its author, with your reason.',
      expense: 'The expense is rejected; its author sees your reason.',
      milestone: 'The milestone is returned to the team with what is missing.',
      change_order: 'The change order is declined, with your reason.',
      exam_item: 'The item version is rejected; its author sees your note.',
      exam_request: 'The request is declined.',
      adjustment: 'The note is rejected; nothing posts.',
      credit_grant: 'The grant is rejected.',
      contract_version: 'The terms are back in draft, with your reason.',
      badge: 'The badge is revoked, with your reason.',
    }[source]
  return {
    timesheet: 'Week approved.',
    expense: 'Expense approved.',
    milestone: 'Milestone accepted: the next invoice run bills it.',
    change_order: 'Change order approved: the budget is updated.',
    exam_item: 'The item version is live.',
    exam_request: 'Request approved: it takes effect now.',
    adjustment: 'Approved and posted.',
    credit_grant: 'Grant approved: the contributor is invited to accept it.',
    contract_version: 'Terms approved: they can now be sent for signature.',
    badge: 'Badge approved.',
  }[source]
}
