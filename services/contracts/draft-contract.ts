import { z } from 'zod'
import { newId } from '../db/ids.ts'
import { AppError } from '../errors/app-error.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { recordContractEvent, termsSha256, deriveContractStatus, todayUtc } from './contract-records.ts'
import { validateContractTerms, type ContractKindName } from './contract-terms.ts'
import { priceBookExceptions } from './price-book.ts'

export const contractKinds = ['mou', 'paid_pilot', 'production_license'] as const

export const draftInputSchema = z.object({
  title: z.string().trim().min(3, 'Give the contract a title, like “Northwind Silicon production license”.').max(200),
  kind: z.enum(contractKinds, 'Choose what kind of agreement this is.'),
  terms: z.unknown(),
})

function validTerms(kind: ContractKindName, terms: unknown) {
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
  const { title, kind, terms: raw } = draftInputSchema.parse(input)
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

/** Replaces the terms of a version that is still a draft. */
export async function updateDraftVersion(
  scope: TenantScope,
  versionId: string,
  input: { title?: string; terms: unknown; effectiveFrom?: string },
) {
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

export const amendInputSchema = z.object({
  effectiveFrom: z.iso.date('Use a date like 2027-07-01.'),
  terms: z.unknown(),
})

/** An amendment: a new draft version with its own effective date; the signed versions stay as they are. */
export async function amendContract(scope: TenantScope, contractId: string, input: z.input<typeof amendInputSchema>) {
  const { effectiveFrom, terms: raw } = amendInputSchema.parse(input)
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

async function assertAmendmentDate(scope: TenantScope, contractId: string, effectiveFrom: string, end: string) {
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

/** Re-derives and stores the contract's status after a change to its versions or dates. */
export async function refreshContractStatus(
  tx: Pick<TenantScope['db'], 'contract' | 'contractVersion'>,
  contractId: string,
) {
  const contract = await tx.contract.findUniqueOrThrow({ where: { id: contractId }, include: { versions: true } })
  const status = deriveContractStatus(contract, contract.versions, todayUtc())
  if (status !== contract.status) await tx.contract.update({ where: { id: contractId }, data: { status } })
  return { before: contract.status, after: status }
}
