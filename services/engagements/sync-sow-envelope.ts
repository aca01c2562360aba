import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { docusignClient } from '../platform/docusign/docusign-client.ts'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { mailEach } from './notify.ts'

/**
 * Brings a statement of work's envelope up to date from DocuSign (the webhook only says "look").
 * Completed: the signed PDF is kept and the draft engagement becomes signed, once (a conditional
 * update). Declined or voided: the engagement stays a draft, free to be sent again, with the reason.
 */
export async function syncSowEnvelope(envelopeId: string): Promise<'unknown' | 'unchanged' | 'signed' | 'returned'> {
  const row = await unscopedDb('provider callback').engagement.findUnique({
    where: { sowEnvelopeId: envelopeId },
    select: { organizationId: true },
  })
  if (!row) return 'unknown'
  const scope = await systemScope(row.organizationId)
  const e = await scope.db.engagement.findFirstOrThrow({
    where: { sowEnvelopeId: envelopeId },
    include: { lead: { select: { email: true } } },
  })
  if (e.status !== 'draft') return 'unchanged'
  const truth = await docusignClient().getEnvelope(envelopeId)
  if (truth.status === 'completed') {
    const signed = await docusignClient().getDocument(envelopeId, 'combined')
    return scope.db.$transaction(async (tx) => {
      const done = await tx.engagement.updateMany({
        where: { id: e.id, status: 'draft', sowEnvelopeId: envelopeId },
        data: { status: 'signed', sowSignedPdf: new Uint8Array(signed), statusReason: null },
      })
      if (done.count === 0) return 'unchanged' as const
      await recordAuditEvent(tx, {
        actor: auditActorOf(scope),
        organizationId: e.organizationId,
        action: 'engagement.sow_signed',
        targetType: 'engagement',
        targetId: e.id,
        changes: { envelopeId, from: 'draft', to: 'signed' },
      })
      await mailEach(
        tx,
        [e.lead.email],
        `${e.title}: the statement of work is signed`,
        ['Both parties signed; mark the engagement active when work starts.'],
        { label: 'Open the engagement', path: `/services/engagements/${e.id}` },
      )
      return 'signed' as const
    })
  }
  if (truth.status !== 'declined' && truth.status !== 'voided') return 'unchanged'
  let reason = truth.voidedReason ?? 'Voided in DocuSign'
  if (truth.status === 'declined') {
    const who = (await docusignClient().listRecipients(envelopeId)).find((r) => r.status === 'declined')
    reason = who ? `${who.name} declined: ${who.declinedReason ?? 'no reason given'}` : 'Declined in DocuSign'
  }
  return scope.db.$transaction(async (tx) => {
    const done = await tx.engagement.updateMany({
      where: { id: e.id, status: 'draft', sowEnvelopeId: envelopeId },
      data: {
        sowEnvelopeId: null,
        sowSha256: null,
        sowCustomerSignerId: null,
        sowGgmlSignerId: null,
        statusReason: reason,
      },
    })
    if (done.count === 0) return 'unchanged' as const
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: e.organizationId,
      action: `engagement.sow_${truth.status}`,
      targetType: 'engagement',
      targetId: e.id,
      changes: { envelopeId, reason },
    })
    await mailEach(tx, [e.lead.email], `${e.title}: the statement of work was ${truth.status}`, [reason], {
      label: 'Open the engagement',
      path: `/services/engagements/${e.id}`,
    })
    return 'returned' as const
  })
}
