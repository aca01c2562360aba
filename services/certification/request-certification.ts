import { z } from 'zod'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { newId } from '../platform/db/ids.ts'
import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { newNonce, jobModel, assertOwnRunner, sha256Hex, startJob } from './job-specification.ts'
import { PARTNER_MODEL, modelShapes, weightTypes } from './known-models.ts'
import { type RequestFileKind, type UploadedFile, checkRequestFiles, storeRequestFiles } from './request-files.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const requestSchema = z
  .object({
    productName: z.string().trim().min(2, 'Name the hardware product.').max(120),
    sku: z.string().trim().min(1, 'Enter the SKU.').max(80),
    modelShape: z.enum([PARTNER_MODEL, ...modelShapes]).default('1b'),
    modelType: z.enum(weightTypes).default('Q4_0'),
    /** With modelShape "partner": what the model is (shown on the badge) and the SHA-256 of its GGUF file. */
    ownModelName: z.string().trim().max(80).optional(),
    ownModelSha256: z.string().trim().toLowerCase().optional(),
    /** With modelShape "partner": the GGUF file's first bytes, from which the platform reads its tensor table. */
    ownModelHeader: z.custom<Uint8Array>((v) => v instanceof Uint8Array).optional(),
    nPrompt: z.coerce.number().int().min(16).max(4096).default(512),
    nGen: z.coerce.number().int().min(8).max(1024).default(128),
    repetitions: z.coerce.number().int().min(2).max(50).default(5),
    /** The runner to run it; empty or absent: whichever of the organization's runners polls first. */
    runnerId: z
      .string()
      .trim()
      .optional()
      .transform((v) => v || undefined),
  })
  .superRefine((r, ctx) => {
    if (r.modelShape !== PARTNER_MODEL) return
    if (!r.ownModelName || r.ownModelName.length < 2)
      ctx.addIssue({
        code: 'custom',
        path: ['ownModelName'],
        message: 'Name your model as the badge should show it, e.g. “Llama-3.2-1B-Instruct Q4_K_M”.',
      })
    if (!r.ownModelSha256 || !sha256Hex.test(r.ownModelSha256))
      ctx.addIssue({
        code: 'custom',
        path: ['ownModelSha256'],
        message: 'Enter the SHA-256 of your GGUF file: 64 hex digits (sha256sum model.gguf).',
      })
    if (!r.ownModelHeader?.byteLength)
      ctx.addIssue({
        code: 'custom',
        path: ['ownModelHeader'],
        message:
          'Attach your GGUF file’s header, its first bytes (head -c 64M model.gguf > header.gguf): the platform ' +
          'reads the tensor table from it to bound what your hardware can do.',
      })
  })
export type CertificationRequestInput = z.input<typeof requestSchema>
/**
 * A hardware product to certify (with its photo and spec sheet), its first benchmark job queued. Scope:
 * certification.view.
 */
export async function requestCertification(
  scope: TenantScope,
  input: z.input<typeof requestSchema>,
  files: Partial<Record<RequestFileKind, UploadedFile>> = {},
) {
  assertCan(scope, 'certification.request')
  const r = parseInput(requestSchema, input)
  const attachments = checkRequestFiles(files)
  const model = await jobModel(r) // a partner's header is read here, before anything is stored
  return scope.db.$transaction(async (tx) => {
    await assertOwnRunner(tx, r.runnerId)
    const requestId = newId()
    await tx.certRequest.create({
      data: {
        id: requestId,
        organizationId: scope.organization.id,
        productName: r.productName,
        sku: r.sku,
        createdById: scope.actor.userId,
      },
    })
    await storeRequestFiles(tx, scope.organization.id, requestId, attachments)
    const jobId = newId()
    await tx.certJob.create({
      data: {
        id: jobId,
        organizationId: scope.organization.id,
        requestId,
        status: await startJob(tx, model),
        nonce: newNonce(),
        ...model,
        nPrompt: r.nPrompt,
        nGen: r.nGen,
        repetitions: r.repetitions,
        assignedRunnerId: r.runnerId ?? null,
        queuedById: scope.actor.userId,
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'cert_request.create',
      targetType: 'cert_request',
      targetId: requestId,
      changes: { productName: r.productName, sku: r.sku, jobId, runnerId: r.runnerId ?? null },
    })
    return { requestId, jobId }
  })
}
