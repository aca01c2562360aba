import { z } from 'zod'
import { ggmlMembers, membersOf, membersOfOrganization } from '../organizations/members.ts'
import { newId } from '../platform/db/ids.ts'
import { docusignClient } from '../platform/docusign/docusign-client.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { roleGrants } from '../identity/permissions.ts'
import { logger } from '../platform/observability/logger.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { recordContractEvent } from './record-contract-event.ts'
import { contractNumber } from './contract-number.ts'
import { readContractTerms } from '../rating/contract-terms.ts'
import { refreshContractStatus } from './refresh-contract-status.ts'
import { renderContractPdf, SIGNATURE_ANCHORS } from './render-contract-pdf.ts'
import { now } from '../platform/clock.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const sendInputSchema = z.object({
  partnerSignerUserId: z.string().min(1, 'Choose who signs for the partner.'),
  ggmlSignerUserId: z.string().min(1, 'Choose who signs for ggml.'),
})

/** People who may sign for an organization: members whose role carries contracts.sign there. */
/** Who may sign for ggml: the ggml organization's members whose role signs contracts. */
export async function ggmlSigners() {
  return signersAmong((await ggmlMembers())?.members ?? [])
}

export async function eligibleSigners(organizationId: string) {
  return signersAmong(await membersOfOrganization(organizationId))
}

function signersAmong(members: Awaited<ReturnType<typeof membersOf>>) {
  return members
    .filter((m) => roleGrants(m.role, 'contracts.sign') && !m.user.disabledAt)
    .map((m) => ({ id: m.user.id, name: m.user.name, email: m.user.email }))
}

/**
 * Renders the agreement, stores it with its hash, and sends it through DocuSign to the partner's
 * signer and then ggml's. The envelope is created before the database records it; if recording
 * fails, the envelope is voided so no orphan waits for a signature. Scope: contracts.manage.
 */
export async function sendForSignature(scope: TenantScope, versionId: string, input: z.input<typeof sendInputSchema>) {
  assertCan(scope, 'contracts.send')
  const { partnerSignerUserId, ggmlSignerUserId } = parseInput(sendInputSchema, input)
  const version = await scope.db.contractVersion.findUnique({ where: { id: versionId }, include: { contract: true } })
  if (!version) throw new AppError('not_found', 'No such contract version.')
  if (version.state !== 'approved')
    throw new AppError(
      'conflict',
      `Version ${version.version} must be approved before it is sent (it is ${version.state.replace('_', ' ')}).`,
    )
  const partnerSigner = signersAmong(await membersOf(scope)).find((s) => s.id === partnerSignerUserId)
  const ggmlSigner = (await ggmlSigners()).find((s) => s.id === ggmlSignerUserId)
  if (!partnerSigner)
    throw new AppError('invalid_input', 'That person cannot sign for the partner.', {
      partnerSignerUserId: [`Choose a partner admin of ${scope.organization.name}.`],
    })
  if (!ggmlSigner)
    throw new AppError('invalid_input', 'That person cannot sign for ggml.', {
      ggmlSignerUserId: ['Choose a ggml admin.'],
    })

  const number = contractNumber(version.contract.seq, version.contract.createdAt)
  const effectiveFrom = version.effectiveFrom.toISOString().slice(0, 10)
  const pdf = await renderContractPdf({
    number,
    version: version.version,
    effectiveFrom,
    kind: version.contract.kind,
    title: version.version > 1 ? `${version.contract.title}, amendment ${version.version - 1}` : version.contract.title,
    partner: { name: scope.organization.name },
    partnerSigner,
    ggmlSigner,
    terms: readContractTerms(version.terms),
    termsSha256: version.termsSha256,
  })
  const filename = `${number}-v${version.version}.pdf`
  const envelopeId = await docusignClient().createEnvelope({
    emailSubject: `Please sign: ${number} v${version.version}, ${version.contract.title}`,
    document: { name: filename, bytes: pdf.bytes },
    signers: [
      { ...partnerSigner, clientUserId: partnerSigner.id, routingOrder: 1, anchor: SIGNATURE_ANCHORS.partner },
      { ...ggmlSigner, clientUserId: ggmlSigner.id, routingOrder: 2, anchor: SIGNATURE_ANCHORS.ggml },
    ],
  })
  try {
    await scope.db.$transaction(async (tx) => {
      const moved = await tx.contractVersion.updateMany({
        where: { id: version.id, state: 'approved' },
        data: { state: 'sent', sentAt: now(), partnerSignerUserId, ggmlSignerUserId },
      })
      if (moved.count !== 1) throw new AppError('conflict', 'Someone else sent this version at the same time.')
      const existing = await tx.contractDocument.findUnique({
        where: { contractVersionId_kind: { contractVersionId: version.id, kind: 'agreement' } },
      })
      if (existing && existing.sha256 !== pdf.sha256)
        throw new AppError('conflict', 'The agreement on file differs from the one rendered now; amend instead.')
      if (!existing) {
        await tx.contractDocument.create({
          data: {
            id: newId(),
            organizationId: scope.organization.id,
            contractVersionId: version.id,
            kind: 'agreement',
            filename,
            contentType: 'application/pdf',
            bytes: new Uint8Array(pdf.bytes),
            sha256: pdf.sha256,
          },
        })
      }
      await tx.contractEnvelope.create({
        data: {
          id: newId(),
          organizationId: scope.organization.id,
          contractVersionId: version.id,
          envelopeId,
          status: 'sent',
          statusChangedAt: now(),
        },
      })
      await recordContractEvent(tx, scope, {
        contractId: version.contractId,
        versionId: version.id,
        type: 'sent_for_signature',
        details: {
          envelopeId,
          partnerSigner: partnerSigner.email,
          ggmlSigner: ggmlSigner.email,
          agreementSha256: pdf.sha256,
        },
      })
      await refreshContractStatus(tx, version.contractId)
    })
  } catch (err) {
    await docusignClient()
      .voidEnvelope(envelopeId, 'Sent in error: the platform could not record it.')
      .catch((e) => logger().error({ err: e, envelopeId }, 'could not void orphan envelope'))
    throw err
  }
  return { envelopeId, agreementSha256: pdf.sha256 }
}
