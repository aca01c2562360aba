import { bookDay } from '../kernel/calendar/months.ts'
import { z } from 'zod'
import { termsSha256 } from './terms-sha256.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { priceBookExceptions } from './price-book.ts'
import { validTerms, assertAmendmentDate } from './draft-contract.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { newId } from '../platform/db/ids.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const amendInputSchema = z.object({
  effectiveFrom: bookDay('Use a date like 2027-07-01.'),
  terms: z.unknown(),
})
/** An amendment: a new draft version with its own effective date; the signed versions stay as they are. */
export async function amendContract(scope: TenantScope, contractId: string, input: z.input<typeof amendInputSchema>) {
  assertCan(scope, 'contracts.draft')
  const { effectiveFrom, terms: raw } = parseInput(amendInputSchema, input)
  const contract = await scope.db.contract.findUnique({ where: { id: contractId }, include: { versions: true } })
  if (!contract) throw new AppError('not_found', 'No such contract.')
  if (contract.terminatedAt) throw new AppError('conflict', 'A terminated contract cannot be amended.')
  if (!contract.versions.some((v) => v.state === 'signed'))
    throw new AppError('conflict', 'Only a signed contract can be amended; edit the draft instead.')
  if (contract.versions.some((v) => v.state !== 'signed'))
    throw new AppError('conflict', 'An amendment is already in progress; finish or edit it first.')
  const terms = validTerms(contract.kind, raw)
  await assertAmendmentDate(scope, contractId, effectiveFrom, terms.term.end)
  const next = Math.max(...contract.versions.map((v) => v.version)) + 1
  return scope.db.$transaction(async (tx) => {
    const version = await tx.contractVersion.create({
      data: {
        id: newId(),
        contractId,
        organizationId: scope.organization.id,
        version: next,
        effectiveFrom: new Date(`${effectiveFrom}T00:00:00Z`),
        terms,
        termsSha256: termsSha256(terms),
        priceBookExceptions: priceBookExceptions(contract.kind, terms),
        createdById: scope.actor.userId,
      },
    })
    await recordContractEvent(tx, scope, {
      contractId,
      versionId: version.id,
      type: 'amendment_drafted',
      audit: { after: { version: next, effectiveFrom, termsSha256: version.termsSha256 } },
    })
    return version
  })
}
