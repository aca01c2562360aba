import { z } from 'zod'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { termsSha256 } from './terms-sha256.ts'
import { validateContractTerms, type ContractKindName } from '../rating/contract-terms.ts'
import { priceBookExceptions } from './price-book.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const contractKinds = ['mou', 'paid_pilot', 'production_license'] as const

export const draftInputSchema = z.object({
  title: z.string().trim().min(3, 'Give the contract a title, like “Northwind Silicon production license”.').max(200),
  kind: z.enum(contractKinds, 'Choose what kind of agreement this is.'),
  terms: z.unknown(),
})

export function validTerms(kind: ContractKindName, terms: unknown) {
  const result = validateContractTerms(kind, terms)
  if (!result.ok) {
    const fieldErrors: Record<string, string[]> = {}
    for (const i of result.issues) (fieldErrors[`terms.${i.path}`] ??= []).push(i.message)
    throw new AppError(
      'invalid_input',
      `The terms have ${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} to fix.`,
      fieldErrors,
    )
  }
  return result.terms
}

/** A new contract for the scoped partner, with its first version as a draft. Scope: contracts.manage. */
export async function draftContract(scope: TenantScope, input: z.input<typeof draftInputSchema>) {
  assertCan(scope, 'contracts.draft')
  const { title, kind, terms: raw } = parseInput(draftInputSchema, input)
  const terms = validTerms(kind, raw)
  return scope.db.$transaction(async (tx) => {
    const contract = await tx.contract.create({
      data: {
        id: newId(),
        organizationId: scope.organization.id,
        title,
        kind,
        status: 'draft',
        createdById: scope.actor.userId,
      },
    })
    const version = await tx.contractVersion.create({
      data: {
        id: newId(),
        contractId: contract.id,
        organizationId: scope.organization.id,
        version: 1,
        effectiveFrom: new Date(`${terms.term.start}T00:00:00Z`),
        terms,
        termsSha256: termsSha256(terms),
        priceBookExceptions: priceBookExceptions(kind, terms),
        createdById: scope.actor.userId,
      },
    })
    await recordContractEvent(tx, scope, {
      contractId: contract.id,
      versionId: version.id,
      type: 'drafted',
      audit: { after: { title, kind, termsSha256: version.termsSha256 } },
    })
    return { contract, version }
  })
}

export async function assertAmendmentDate(scope: TenantScope, contractId: string, effectiveFrom: string, end: string) {
  const signed = await scope.db.contractVersion.findMany({
    where: { contractId, state: 'signed' },
    orderBy: { version: 'asc' },
  })
  const first = signed[0]?.effectiveFrom.toISOString().slice(0, 10)
  if (first && effectiveFrom <= first) {
    throw new AppError('invalid_input', 'The amendment must take effect after the original agreement.', {
      effectiveFrom: [`Choose a date after ${first}, when version 1 took effect.`],
    })
  }
  if (effectiveFrom > end)
    throw new AppError('invalid_input', 'The amendment would take effect after the term ends.', {
      effectiveFrom: [`Choose a date on or before the end of the term (${end}).`],
    })
}
