import { z } from 'zod'
import type { ContractDocumentKind } from '../platform/db/generated/enums.ts'
import { createHash } from 'node:crypto'
import { unscopedDb } from '../platform/db/unscoped.ts'
import type { EnvelopeStatus } from '../platform/db/generated/enums.ts'
import { newId } from '../platform/db/ids.ts'
import { docusignClient } from '../platform/docusign/docusign-client.ts'
import { systemScope, type TenantScope } from '../tenancy/tenant-guard.ts'
import { todayUtc } from '../platform/clock.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { contractNumber } from './contract-number.ts'
import { readContractTerms } from '../rating/contract-terms.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { refreshContractStatus } from './refresh-contract-status.ts'
import { now } from '../platform/clock.ts'
import { recordWebhookEvent } from '../webhooks/record-webhook-event.ts'

const rank: Record<EnvelopeStatus, number> = { created: 0, sent: 1, delivered: 2, completed: 3, declined: 3, voided: 3 }
const isFinal = (s: EnvelopeStatus) => rank[s] === 3

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/**
 * Brings one envelope up to date with DocuSign. The webhook only says "look at this envelope";
 * the truth is re-read from the API, and states only move forward, so duplicate, late or
 * out-of-order deliveries change nothing twice. Safe to run concurrently: the state change is
 * conditional on the state read, and documents are unique per version and kind.
 */
export async function syncEnvelope(envelopeId: string): Promise<'unknown' | 'unchanged' | EnvelopeStatus> {
  // A concurrent sync of the same envelope may win the race; then look again rather than fail.
  for (let attempt = 0; ; attempt++) {
    try {
      return await syncEnvelopeOnce(envelopeId)
    } catch (err) {
      if (!(err instanceof LostRace) || attempt >= 3) throw err
    }
  }
}

class LostRace extends Error {}

async function syncEnvelopeOnce(envelopeId: string): Promise<'unknown' | 'unchanged' | EnvelopeStatus> {
  const row = await unscopedDb('provider callback').contractEnvelope.findUnique({
    where: { envelopeId },
    select: { organizationId: true },
  })
  if (!row) return 'unknown'
  const scope = await systemScope(row.organizationId)
  const envelope = await scope.db.contractEnvelope.findUniqueOrThrow({
    where: { envelopeId },
    include: { contractVersion: { include: { contract: true } } },
  })
  if (isFinal(envelope.status)) return 'unchanged'
  const truth = await docusignClient().getEnvelope(envelopeId)
  if (!(truth.status in rank)) return 'unchanged'
  if (rank[truth.status] <= rank[envelope.status]) return syncRecipients(scope, envelope, envelopeId)

  const version = envelope.contractVersion
  const changedAt = truth.statusChangedDateTime ? new Date(truth.statusChangedDateTime) : now()
  let docs: { kind: ContractDocumentKind; filename: string; bytes: Buffer }[] = []
  let reason: string | undefined
  const recipients = (await docusignClient().listRecipients(envelopeId)).map((r) => ({
    email: r.email,
    name: r.name,
    routingOrder: Number(r.routingOrder ?? 1),
    status: r.status,
    signedAt: r.signedDateTime ?? null,
  }))
  if (truth.status === 'completed') {
    const number = contractNumber(version.contract.seq, version.contract.createdAt)
    const [signed, certificate] = await Promise.all([
      docusignClient().getDocument(envelopeId, 'combined'),
      docusignClient().getDocument(envelopeId, 'certificate'),
    ])
    docs = [
      { kind: 'signed_agreement', filename: `${number}-v${version.version}-signed.pdf`, bytes: signed },
      { kind: 'certificate', filename: `${number}-v${version.version}-certificate.pdf`, bytes: certificate },
    ]
  } else if (truth.status === 'declined') {
    const who = (await docusignClient().listRecipients(envelopeId)).find((r) => r.status === 'declined')
    reason = who ? `${who.name} declined: ${who.declinedReason ?? 'no reason given'}` : 'Declined in DocuSign'
  } else if (truth.status === 'voided') {
    reason = truth.voidedReason ?? 'Voided in DocuSign'
  }

  await scope.db.$transaction(async (tx) => {
    const moved = await tx.contractEnvelope.updateMany({
      where: { id: envelope.id, status: envelope.status },
      data: {
        status: truth.status,
        statusChangedAt: changedAt,
        recipients,
        ...(truth.status === 'completed' && {
          completedAt: truth.completedDateTime ? new Date(truth.completedDateTime) : changedAt,
        }),
        ...(truth.status === 'declined' && { declineReason: reason }),
        ...(truth.status === 'voided' && { voidReason: reason }),
      },
    })
    if (moved.count !== 1) throw new LostRace(`Envelope ${envelopeId} changed while it was being synced`)
    const event = { contractId: version.contractId, versionId: version.id }
    if (truth.status === 'delivered') {
      await recordContractEvent(tx, scope, { ...event, type: 'envelope_delivered', details: { envelopeId } })
      return
    }
    if (truth.status === 'completed') {
      const stored: Record<string, string> = {}
      for (const d of docs) {
        const hash = sha256(d.bytes)
        stored[d.kind] = hash
        await tx.contractDocument.create({
          data: {
            id: newId(),
            organizationId: scope.organization.id,
            contractVersionId: version.id,
            kind: d.kind,
            filename: d.filename,
            contentType: 'application/pdf',
            bytes: new Uint8Array(d.bytes),
            sha256: hash,
          },
        })
      }
      const signedAt = envelope.completedAt ?? changedAt
      await tx.contractVersion.update({ where: { id: version.id }, data: { state: 'signed', signedAt } })
      await recordWebhookEvent(tx, scope.organization.id, 'contract.signed', {
        contractId: version.contractId,
        versionId: version.id,
        version: version.version,
        signedAt: signedAt.toISOString(),
      })
      await recordContractEvent(tx, scope, {
        ...event,
        type: 'signed',
        details: { envelopeId, sha256: stored },
        audit: { envelopeId, sha256: stored },
      })
      const terms = readContractTerms(version.terms)
      // A paid pilot's fee is invoiced on signature, by royalties (which posts what a contract charges).
      if (version.contract.kind === 'paid_pilot' && terms.pilotFee)
        await enqueueJob(tx, 'royalties.invoice-pilot-fee', { contractVersionId: version.id, signedOn: todayUtc() })
      // A prepaid advance is "paid up front": invoiced now, by royalties (which recoups it), not with a report.
      if (terms.prepaidAdvance) await enqueueJob(tx, 'royalties.invoice-advance', { contractId: version.contractId })
    } else {
      await tx.contractVersion.update({ where: { id: version.id }, data: { state: 'draft', sentAt: null } })
      await recordContractEvent(tx, scope, {
        ...event,
        type: truth.status === 'declined' ? 'declined' : 'voided',
        reason,
        details: { envelopeId },
      })
    }
    await refreshContractStatus(tx, version.contractId)
  })
  return truth.status
}

// In the order the envelope's recipients are written, so a stored list compares equal to a fresh one.
const recipientProgressSchema = z.object({
  email: z.string(),
  name: z.string(),
  routingOrder: z.number(),
  status: z.string(),
  signedAt: z.string().nullable(),
})
export type RecipientProgress = z.infer<typeof recipientProgressSchema>

/** ContractEnvelope.recipients (a JSON column), parsed at read. */
export const readRecipients = (stored: unknown): RecipientProgress[] => z.array(recipientProgressSchema).parse(stored)

/** Same envelope status, but maybe a signer finished: record who has signed (the partner first). */
async function syncRecipients(
  scope: TenantScope,
  envelope: { id: string; contractVersion: { id: string; contractId: string } },
  envelopeId: string,
) {
  const recipients: RecipientProgress[] = (await docusignClient().listRecipients(envelopeId)).map((r) => ({
    email: r.email,
    name: r.name,
    routingOrder: Number(r.routingOrder ?? 1),
    status: r.status,
    signedAt: r.signedDateTime ?? null,
  }))
  await scope.db.$transaction(async (tx) => {
    // Row lock: concurrent syncs of one envelope compare and write one after the other.
    await tx.$executeRaw`SELECT 1 FROM "ContractEnvelope" WHERE id = ${envelope.id} FOR UPDATE`
    const current = await tx.contractEnvelope.findUniqueOrThrow({ where: { id: envelope.id } })
    const before = readRecipients(current.recipients)
    if (isFinal(current.status) || JSON.stringify(before) === JSON.stringify(recipients)) return
    await tx.contractEnvelope.update({
      where: { id: envelope.id },
      data: { recipients },
    })
    for (const r of recipients.filter(
      (x) => x.status === 'completed' && !before.some((b) => b.email === x.email && b.status === 'completed'),
    )) {
      await recordContractEvent(tx, scope, {
        contractId: envelope.contractVersion.contractId,
        versionId: envelope.contractVersion.id,
        type: 'signer_signed',
        details: { envelopeId, signer: r.email, signedAt: r.signedAt },
      })
    }
  })
  return 'unchanged' as const
}
