import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { hashPassword, passwordSchema } from './password.ts'
import { sha256 } from './tokens.ts'
import { now } from '../platform/clock.ts'

export const resetPasswordSchema = z
  .object({ password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords differ.' })

const INVALID_LINK = 'This reset link is invalid or has expired. Ask for a new one.'

export async function findUsableResetToken(token: string) {
  const row = await unscopedDb('sign-in').passwordResetToken.findUnique({ where: { tokenHash: sha256(token) } })
  if (!row || row.usedAt || row.expiresAt < now()) return null
  return row
}

/** Sets the new password, spends the token, and signs the user out everywhere. */
export async function resetPassword(token: string, password: string): Promise<void> {
  const row = await findUsableResetToken(token)
  if (!row) throw new AppError('not_found', INVALID_LINK)
  const passwordHash = await hashPassword(password)
  await unscopedDb('sign-in').$transaction(async (tx) => {
    // Every other link of this person ends with this reset.
    await tx.passwordResetToken.updateMany({
      where: { userId: row.userId, usedAt: null, id: { not: row.id } },
      data: { usedAt: now() },
    })
    const spent = await tx.passwordResetToken.updateMany({
      where: { id: row.id, usedAt: null },
      data: { usedAt: now() },
    })
    if (spent.count !== 1) throw new AppError('not_found', INVALID_LINK)
    const user = await tx.user.update({ where: { id: row.userId }, data: { passwordHash } })
    await tx.session.deleteMany({ where: { userId: user.id } })
    await recordAuditEvent(tx, {
      actor: { userId: user.id, email: user.email },
      organizationId: null,
      action: 'user.password_reset',
      targetType: 'user',
      targetId: user.id,
    })
  })
}
