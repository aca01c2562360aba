import { z } from 'zod'
import { createPublicKey, randomBytes } from 'node:crypto'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { now } from '../platform/clock.ts'
import { sha256 } from '../identity/tokens.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { newId } from '../platform/db/ids.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { toJsonColumn } from '../platform/db/json-column.ts'

/** What the runner says of its machine (certification-lab/hardware-fingerprint.ts): all of it is required. */
const fingerprintSchema = z.looseObject({
  cpu: z.looseObject({
    model: z.string().trim().min(1).max(200),
    cores: z.number().int().min(1).max(4096),
    threads: z.number().int().min(1).max(8192),
    features: z.array(z.string().max(40)).max(200),
  }),
  memoryBytes: z.number().int().positive(),
  gpus: z.array(z.string().max(200)).max(64),
  backends: z.array(z.string().max(40)).max(16),
  os: z.looseObject({ platform: z.string().max(40), release: z.string().max(100), arch: z.string().max(40) }),
})

export const registerSchema = z.object({
  token: z.string('Send the one-time registration token (ggml_rt_…) from the portal.').min(10),
  name: z.string('Name the runner, like “lab-box-1”.').trim().min(1).max(120),
  publicKey: z.string('Send the runner’s Ed25519 public key (PEM).').min(40).max(2000),
  fingerprint: fingerprintSchema,
})
/** The runner proves nothing yet but its token; it gets an id and a secret for its calls. */
export async function registerRunner(
  input: z.input<typeof registerSchema>,
): Promise<{ runnerId: string; secret: string }> {
  const parsed = registerSchema.safeParse(input)
  if (!parsed.success)
    throw new AppError(
      'invalid_input',
      `Registration needs token, name, publicKey and the machine's fingerprint: ${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
        .join('; ')}.`,
      Object.fromEntries(parsed.error.issues.map((i) => [i.path.join('.') || 'body', [i.message]])),
    )
  const r = parsed.data
  let key
  try {
    key = createPublicKey(r.publicKey)
  } catch {
    throw new AppError('invalid_input', 'publicKey must be a PEM-encoded Ed25519 public key.')
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('invalid_input', 'publicKey must be an Ed25519 key.')
  const tokenRow = await unscopedDb('token').certRunnerToken.findUnique({
    where: { tokenHash: sha256(r.token.replace(/^ggml_rt_/, '')) },
  })
  if (!tokenRow || tokenRow.usedAt || tokenRow.expiresAt < now())
    throw new AppError(
      'unauthenticated',
      'This registration token is unknown, used or expired; make a new one in the portal.',
    )
  const scope = await systemScope(tokenRow.organizationId)
  const secret = `ggml_runner_${randomBytes(32).toString('base64url')}`
  const runnerId = newId()
  await scope.db.$transaction(async (tx) => {
    const spent = await tx.certRunnerToken.updateMany({
      where: { id: tokenRow.id, usedAt: null },
      data: { usedAt: now() },
    })
    if (spent.count !== 1) throw new AppError('unauthenticated', 'This registration token was just used.')
    await tx.certRunner.create({
      data: {
        id: runnerId,
        organizationId: tokenRow.organizationId,
        name: r.name,
        publicKey: key.export({ type: 'spki', format: 'pem' }).toString(),
        secretHash: sha256(secret),
        fingerprint: toJsonColumn(r.fingerprint),
        lab: tokenRow.lab,
      },
    })
    await recordAuditEvent(tx, {
      actor: null,
      organizationId: tokenRow.organizationId,
      action: 'cert_runner.register',
      targetType: 'cert_runner',
      targetId: runnerId,
      changes: { name: r.name, lab: tokenRow.lab },
    })
  })
  return { runnerId, secret }
}
