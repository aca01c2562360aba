import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import { assertCan, allPartnersScope, type TenantScope } from '../tenancy/tenant-guard.ts'
import { contractNumber } from './contract-number.ts'
import { amountOf, type ContractTerms, termsOfVersion, readContractTerms } from '../rating/contract-terms.ts'
import { describeTerms, diffTerms, kindLabel } from './describe-terms.ts'
import { readRecipients } from './sync-envelope.ts'
import { readStringList } from '../platform/db/json-column.ts'

const day = (d: Date | null | undefined) => (d ? d.toISOString().slice(0, 10) : null)

export async function listContracts(scope: TenantScope) {
  const contracts = await scope.db.contract.findMany({
    include: { versions: { orderBy: { version: 'desc' } } },
    orderBy: { createdAt: 'desc' },
  })
  return contracts.map((c) => {
    const current = c.versions.find((v) => v.state === 'signed') ?? c.versions[0]
    const terms = termsOfVersion(current)
    return {
      id: c.id,
      number: contractNumber(c.seq, c.createdAt),
      title: c.title,
      kind: kindLabel[c.kind],
      status: c.status,
      term: terms ? `${terms.term.start} to ${terms.term.end}` : '',
      versions: c.versions.length,
      awaitingSignature: c.versions.some((v) => v.state === 'sent'),
    }
  })
}

/** Everything a contract page shows: terms in words, each version side by side, documents, history. */
export async function getContractDetail(scope: TenantScope, contractId: string) {
  assertCan(scope, 'contracts.view')
  const c = await scope.db.contract.findUnique({
    where: { id: contractId },
    include: {
      versions: {
        orderBy: { version: 'asc' },
        include: {
          envelopes: { orderBy: { createdAt: 'asc' } },
          documents: { select: { id: true, kind: true, filename: true, sha256: true, createdAt: true } },
        },
      },
      events: { orderBy: { createdAt: 'asc' } },
    },
  })
  if (!c) throw new AppError('not_found', 'No such contract, or you do not have access to it.')
  const terms = c.versions.map((v) => readContractTerms(v.terms))
  const rows = terms.map((t) => describeTerms(c.kind, t))
  return {
    id: c.id,
    number: contractNumber(c.seq, c.createdAt),
    title: c.title,
    kind: c.kind,
    kindLabel: kindLabel[c.kind],
    status: c.status,
    terminationReason: c.terminationReason,
    terminationRequest: c.terminationRequestedAt
      ? {
          at: c.terminationRequestedAt.toISOString(),
          by: c.terminationRequestedById,
          reason: c.terminationRequestReason ?? '',
        }
      : null,
    organization: scope.organization,
    versions: c.versions.map((v, i) => ({
      id: v.id,
      version: v.version,
      state: v.state,
      effectiveFrom: day(v.effectiveFrom)!,
      terms: terms[i]!,
      termsSha256: v.termsSha256,
      rows: rows[i]!,
      changes: i === 0 ? [] : diffTerms(rows[i - 1]!, rows[i]!),
      priceBookExceptions: readStringList(v.priceBookExceptions),
      partnerSignerUserId: v.partnerSignerUserId,
      ggmlSignerUserId: v.ggmlSignerUserId,
      createdById: v.createdById,
      submittedById: v.submittedById,
      approvalNote: v.approvalNote,
      signedAt: v.signedAt?.toISOString() ?? null,
      envelopes: v.envelopes.map((e) => ({
        envelopeId: e.envelopeId,
        status: e.status,
        declineReason: e.declineReason,
        voidReason: e.voidReason,
        completedAt: e.completedAt?.toISOString() ?? null,
        recipients: readRecipients(e.recipients),
      })),
      documents: v.documents.map((d) => ({ id: d.id, kind: d.kind, filename: d.filename, sha256: d.sha256 })),
    })),
    events: c.events.map((e) => ({
      id: e.id,
      type: e.type,
      at: e.createdAt.toISOString(),
      actor: e.actorEmail ?? 'system',
      reason: e.reason,
      versionId: e.contractVersionId,
    })),
  }
}

export async function getContractDocument(scope: TenantScope, contractId: string, documentId: string) {
  const d = await scope.db.contractDocument.findUnique({
    where: { id: documentId },
    include: { contractVersion: { select: { contractId: true } } },
  })
  if (!d || d.contractVersion.contractId !== contractId) throw new AppError('not_found', 'No such document.')
  return d
}

const annual = (t: ContractTerms, amount: string, period: 'month' | 'quarter' | 'year') =>
  amountOf(t, amount) * ({ month: 12n, quarter: 4n, year: 1n } as const)[period]

export const pipelineStages = ['prospect', 'mou', 'paid_pilot', 'production_license'] as const

/** Every partner on the road from MoU to pilot to production, with what its contracts are worth a year. */
export async function contractPipeline(actor: Actor) {
  const { db } = allPartnersScope(actor, 'contracts.view')
  const orgs = await db.organization.findMany({
    where: { kind: 'oem_partner' },
    include: { contracts: { where: { terminatedAt: null }, include: { versions: { orderBy: { version: 'desc' } } } } },
    orderBy: { name: 'asc' },
  })
  const order = { mou: 1, paid_pilot: 2, production_license: 3 } as const
  return orgs.map((o) => {
    const live = o.contracts.filter((c) => c.status !== 'expired')
    const best = [...live].sort(
      (a, b) => order[b.kind] - order[a.kind] || Number(b.status === 'active') - Number(a.status === 'active'),
    )[0]
    const terms = termsOfVersion(best?.versions.find((v) => v.state === 'signed') ?? best?.versions[0])
    const fmt = (minor: bigint) => (terms ? formatMoney(money(minor, terms.currency)) : '')
    const baseFee = terms?.baseFee ? annual(terms, terms.baseFee.amount, terms.baseFee.period) : 0n
    const guarantee = terms?.minimumGuarantee
      ? annual(terms, terms.minimumGuarantee.amount, terms.minimumGuarantee.period === 'quarter' ? 'quarter' : 'year')
      : 0n
    const pilotFee = terms?.pilotFee ? amountOf(terms, terms.pilotFee.amount) : 0n
    const stage: (typeof pipelineStages)[number] = best?.kind ?? 'prospect'
    return {
      organization: { id: o.id, slug: o.slug, name: o.name },
      stage,
      contract: best
        ? { id: best.id, number: contractNumber(best.seq, best.createdAt), status: best.status, title: best.title }
        : null,
      currency: terms?.currency ?? null,
      annualBaseFeeMinor: baseFee.toString(),
      annualGuaranteeMinor: guarantee.toString(),
      pilotFeeMinor: pilotFee.toString(),
      annualBaseFee: baseFee ? fmt(baseFee) : '',
      annualGuarantee: guarantee ? fmt(guarantee) : '',
      pilotFee: pilotFee ? fmt(pilotFee) : '',
    }
  })
}

/** Versions waiting for finance, with the reasons they fall outside the price book. */
export async function approvalQueue(actor: Actor) {
  const { db } = allPartnersScope(actor, 'contracts.approve')
  const versions = await db.contractVersion.findMany({
    where: { state: 'pending_approval' },
    include: { contract: { include: { organization: true } } },
    orderBy: { submittedAt: 'asc' },
  })
  return versions.map((v) => ({
    contractId: v.contractId,
    versionId: v.id,
    number: contractNumber(v.contract.seq, v.contract.createdAt),
    title: v.contract.title,
    partner: v.contract.organization.name,
    version: v.version,
    submittedAt: v.submittedAt?.toISOString() ?? null,
    exceptions: readStringList(v.priceBookExceptions),
  }))
}
