import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { eligibleSigners, ggmlSigners } from '../contracts/send-for-signature.ts'
import { docusignClient } from '../platform/docusign/docusign-client.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { logger } from '../platform/observability/logger.ts'
import { todayUtc } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { billingParty } from '../organizations/billing-party.ts'
import { isoDay } from './log-week.ts'
import { renderSowPdf } from './render-sow-pdf.ts'
import { SIGNATURE_ANCHORS } from '../contracts/render-contract-pdf.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const sendSowSchema = z.object({
  customerSignerUserId: z.string().trim().min(1, 'Choose who signs for the customer.').max(64),
  ggmlSignerUserId: z.string().trim().min(1, 'Choose who signs for ggml.').max(64),
})

/**
 * The services lead sends a draft engagement's statement of work through DocuSign: the customer's
 * signer first, then ggml's. The engagement becomes signed when the envelope completes (the same
 * Connect webhook and sync job as contracts). The envelope is voided if the platform cannot record it.
 */
export async function sendStatementOfWork(
  scope: TenantScope,
  engagementId: string,
  input: z.input<typeof sendSowSchema>,
) {
  assertCan(scope, 'services.manage')
  const f = parseInput(sendSowSchema, input)
  const e = await scope.db.engagement.findFirst({
    where: { id: engagementId },
    include: { milestones: { orderBy: { seq: 'asc' } }, members: true },
  })
  if (!e) throw new AppError('not_found', 'No such engagement.')
  if (e.status !== 'draft') throw new AppError('conflict', `The engagement is already ${e.status}.`)
  if (e.sowEnvelopeId) throw new AppError('conflict', 'The statement of work is already out for signature.')
  const customerSigner = (await eligibleSigners(e.organizationId)).find((s) => s.id === f.customerSignerUserId)
  const ggmlSigner = (await ggmlSigners()).find((s) => s.id === f.ggmlSignerUserId)
  const fields: Record<string, string[]> = {}
  if (!customerSigner) fields.customerSignerUserId = [`Choose an admin of ${scope.organization.name}.`]
  if (!ggmlSigner) fields.ggmlSignerUserId = ['Choose a ggml signatory.']
  if (Object.keys(fields).length) throw new AppError('invalid_input', 'Check who signs.', fields)
  const roles = new Map<string, number>()
  for (const m of e.members) roles.set(m.rateRole, (roles.get(m.rateRole) ?? 0) + 1)
  const reference = `SOW-${e.id.slice(0, 8).toUpperCase()}`
  const pdf = await renderSowPdf({
    reference,
    title: e.title,
    type: e.type,
    currency: e.currency,
    startsOn: isoDay(e.startsOn),
    endsOn: e.endsOn ? isoDay(e.endsOn) : null,
    customer: await billingParty(scope),
    budgetHours: e.budgetMinutes / 60,
    budgetMinor: e.budgetMinor,
    acceptanceDays: e.acceptanceDays,
    milestones: e.milestones.map((m) => ({
      seq: m.seq,
      title: m.title,
      amountMinor: m.amountMinor,
      dueOn: m.dueOn ? isoDay(m.dueOn) : null,
    })),
    team: [...roles].map(([role, count]) => ({ role, count })),
    customerSigner: customerSigner!,
    ggmlSigner: ggmlSigner!,
    preparedOn: todayUtc(),
  })
  const envelopeId = await docusignClient().createEnvelope({
    emailSubject: `Please sign: ${reference}, ${e.title}`,
    document: { name: `${reference}.pdf`, bytes: pdf.bytes },
    signers: [
      { ...customerSigner!, clientUserId: customerSigner!.id, routingOrder: 1, anchor: SIGNATURE_ANCHORS.partner },
      { ...ggmlSigner!, clientUserId: ggmlSigner!.id, routingOrder: 2, anchor: SIGNATURE_ANCHORS.ggml },
    ],
  })
  try {
    await scope.db.$transaction(async (tx) => {
      const done = await tx.engagement.updateMany({
        where: { id: e.id, status: 'draft', sowEnvelopeId: null },
        data: {
          sowEnvelopeId: envelopeId,
          sowSha256: pdf.sha256,
          sowCustomerSignerId: customerSigner!.id,
          sowGgmlSignerId: ggmlSigner!.id,
          statusReason: null,
        },
      })
      if (done.count !== 1) throw new AppError('conflict', 'Someone sent this statement of work at the same time.')
      await recordAuditEvent(tx, {
        actor: auditActorOf(scope),
        organizationId: e.organizationId,
        action: 'engagement.sow_sent',
        targetType: 'engagement',
        targetId: e.id,
        changes: {
          envelopeId,
          sha256: pdf.sha256,
          customerSigner: customerSigner!.email,
          ggmlSigner: ggmlSigner!.email,
        },
      })
    })
  } catch (err) {
    await docusignClient()
      .voidEnvelope(envelopeId, 'Sent in error: the platform could not record it.')
      .catch((x) => logger().error({ err: x, envelopeId }, 'could not void orphan envelope'))
    throw err
  }
  return { envelopeId, sha256: pdf.sha256 }
}
