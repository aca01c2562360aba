import { AppError } from '../errors/app-error.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { recordContractEvent } from './contract-records.ts'
import { refreshContractStatus } from './draft-contract.ts'
import { now } from '../platform/clock.ts'

/**
 * Standard terms are approved by the price book itself; terms outside it wait for finance.
 * Scope: contracts.manage.
 */
export async function submitForApproval(scope: TenantScope, versionId: string) {
  const version = await scope.db.contractVersion.findUnique({ where: { id: versionId } })
  if (!version) throw new AppError('not_found', 'No such contract version.')
  if (version.state !== 'draft')
    throw new AppError('conflict', `Version ${version.version} is already ${version.state.replace('_', ' ')}.`)
  const exceptions = version.priceBookExceptions as string[]
  const needsFinance = exceptions.length > 0
  await scope.db.$transaction(async (tx) => {
    await tx.contractVersion.update({
      where: { id: version.id },
      data: needsFinance
        ? { state: 'pending_approval', submittedById: scope.actor.userId, submittedAt: now() }
        : {
            state: 'approved',
            submittedById: scope.actor.userId,
            submittedAt: now(),
            approvedAt: now(),
            approvalNote: 'Within the standard price book: approved automatically.',
          },
    })
    await recordContractEvent(tx, scope, {
      contractId: version.contractId,
      versionId: version.id,
      type: needsFinance ? 'submitted_for_approval' : 'approved',
      details: needsFinance ? { exceptions } : { automatic: true },
      audit: { exceptions },
    })
    await refreshContractStatus(tx, version.contractId)
  })
  return { needsFinance, exceptions }
}

/** Finance approves terms outside the price book; never the person who submitted them. Scope: contracts.approve. */
export async function approveContractVersion(scope: TenantScope, versionId: string, note?: string) {
  const version = await scope.db.contractVersion.findUnique({ where: { id: versionId } })
  if (!version) throw new AppError('not_found', 'No such contract version.')
  if (version.state !== 'pending_approval')
    throw new AppError(
      'conflict',
      `Version ${version.version} is not waiting for approval (it is ${version.state.replace('_', ' ')}).`,
    )
  if (version.submittedById === scope.actor.userId || version.createdById === scope.actor.userId) {
    throw new AppError(
      'forbidden',
      'Someone other than the person who drafted or submitted these terms must approve them.',
    )
  }
  await scope.db.$transaction(async (tx) => {
    await tx.contractVersion.update({
      where: { id: version.id },
      data: { state: 'approved', approvedById: scope.actor.userId, approvedAt: now(), approvalNote: note ?? null },
    })
    await recordContractEvent(tx, scope, {
      contractId: version.contractId,
      versionId: version.id,
      type: 'approved',
      reason: note,
      details: { exceptions: version.priceBookExceptions },
    })
    await refreshContractStatus(tx, version.contractId)
  })
}

/** Finance sends terms back to the drafter with a reason. Scope: contracts.approve. */
export async function returnToDraft(scope: TenantScope, versionId: string, reason: string) {
  if (!reason.trim())
    throw new AppError('invalid_input', 'Say why the terms go back to draft.', {
      reason: ['Give a reason the drafter can act on.'],
    })
  const version = await scope.db.contractVersion.findUnique({ where: { id: versionId } })
  if (!version) throw new AppError('not_found', 'No such contract version.')
  if (version.state !== 'pending_approval')
    throw new AppError('conflict', `Version ${version.version} is not waiting for approval.`)
  await scope.db.$transaction(async (tx) => {
    await tx.contractVersion.update({
      where: { id: version.id },
      data: { state: 'draft', submittedAt: null, submittedById: null },
    })
    await recordContractEvent(tx, scope, {
      contractId: version.contractId,
      versionId: version.id,
      type: 'returned_to_draft',
      reason,
    })
    await refreshContractStatus(tx, version.contractId)
  })
}
