import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { validTerms, assertAmendmentDate } from './draft-contract.ts'
import { priceBookExceptions } from './price-book.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { termsSha256 } from './terms-sha256.ts'

/** Replaces the terms of a version that is still a draft. */
export async function updateDraftVersion(
  scope: TenantScope,
  versionId: string,
  input: { title?: string; terms: unknown; effectiveFrom?: string },
) {
  assertCan(scope, 'contracts.draft')
  const version = await scope.db.contractVersion.findUnique({ where: { id: versionId }, include: { contract: true } })
  if (!version) throw new AppError('not_found', 'No such contract version.')
  if (version.state !== 'draft')
    throw new AppError(
      'conflict',
      `Version ${version.version} is ${version.state.replace('_', ' ')}; only drafts can be edited.`,
    )
  const kind = version.contract.kind
  const terms = validTerms(kind, input.terms)
  const effectiveFrom =
    version.version === 1 ? terms.term.start : (input.effectiveFrom ?? version.effectiveFrom.toISOString().slice(0, 10))
  if (version.version > 1) await assertAmendmentDate(scope, version.contractId, effectiveFrom, terms.term.end)
  return scope.db.$transaction(async (tx) => {
    const updated = await tx.contractVersion.update({
      where: { id: version.id },
      data: {
        terms,
        termsSha256: termsSha256(terms),
        priceBookExceptions: priceBookExceptions(kind, terms),
        effectiveFrom: new Date(`${effectiveFrom}T00:00:00Z`),
      },
    })
    if (input.title && input.title !== version.contract.title && version.version === 1) {
      await tx.contract.update({ where: { id: version.contractId }, data: { title: input.title } })
    }
    await recordContractEvent(tx, scope, {
      contractId: version.contractId,
      versionId: version.id,
      type: 'terms_updated',
      audit: {
        before: { termsSha256: version.termsSha256 },
        after: { termsSha256: updated.termsSha256, effectiveFrom },
      },
    })
    return updated
  })
}
