import { z } from 'zod'
import { createPublicKey, randomBytes } from 'node:crypto'
import { systemScope } from '../tenancy/tenant-guard.ts'
import { now } from '../platform/clock.ts'
import { sha256 } from '../identity/tokens.ts'
import { AppError } from '../errors/app-error.ts'
import { newId } from '../db/ids.ts'
import { db } from '../db/client.ts'
import { recordAuditEvent } from '../audit/record-audit-event.ts'

export const registerSchema = z.object({
  token: z.string().min(10),
  name: z.string().trim().min(1).max(120),
  publicKey: z.string().min(40).max(2000),
  fingerprint: z.record(z.string(), z.unknown()),
})
/** The runner proves nothing yet but its token; it gets an id and a secret for its calls. */
export async function registerRunner(
  input: z.input<typeof registerSchema>,
): Promise<{ runnerId: string; secret: string }> {
  const r = registerSchema.parse(input)
  let key
  try {
    key = createPublicKey(r.publicKey)
  } catch {
    throw new AppError('invalid_input', 'publicKey must be a PEM-encoded Ed25519 public key.')
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('invalid_input', 'publicKey must be an Ed25519 key.')
  const tokenRow = await db().certRunnerToken.findUnique({
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
        fingerprint: r.fingerprint as object,
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
