import { z } from 'zod'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { appUrl } from '../config/env.ts'
import { db } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import { renderEmail } from '../email/render-email.ts'
import { enqueueJob } from '../jobs/enqueue-job.ts'
import { newSecretToken } from './tokens.ts'
import { nowMs } from '../platform/clock.ts'

export const RESET_TTL_MS = 60 * 60 * 1000

export const requestResetSchema = z.object({
  email: z.email('Enter a valid email address.').transform((e) => e.toLowerCase()),
})

/** Always answers the same way, so the form does not reveal which emails have accounts. */
export async function requestPasswordReset(email: string): Promise<void> {
  const user = await db().user.findUnique({ where: { email: email.toLowerCase() } })
  if (!user || user.disabledAt) return
  const { token, tokenHash } = newSecretToken()
  const url = `${appUrl()}/reset-password/${token}`
  await db().$transaction(async (tx) => {
    await tx.passwordResetToken.create({
      data: { id: newId(), userId: user.id, tokenHash, expiresAt: new Date(nowMs() + RESET_TTL_MS) },
    })
    await enqueueJob(tx, 'email.send', {
      to: user.email,
      ...renderEmail(
        'Reset your GGML partner platform password',
        [
          `Hello ${user.name},`,
          'Someone asked to reset the password of your account. The link below works once, for one hour. If it ' +
            'was not you, ignore this email.',
        ],
        { label: 'Choose a new password', url },
      ),
    })
    await recordAuditEvent(tx, {
      actor: { userId: user.id, email: user.email },
      organizationId: null,
      action: 'user.password_reset_requested',
      targetType: 'user',
      targetId: user.id,
    })
  })
}
