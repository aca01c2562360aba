import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { appUrl } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { sendEmail } from '../platform/email/send-email.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { now, nowMs } from '../platform/clock.ts'
import { RESET_TTL_MS } from './request-password-reset.ts'
import { linkToken, sha256 } from './tokens.ts'

/**
 * Sends a reset link to an existing, enabled account; nothing for anyone else. The token is a MAC of
 * the row's id (only its hash is stored, nothing secret passes through the outbox) and the row's id
 * comes from the job's, so a retried job mails the same link. A new link ends every earlier one.
 */
export const handleSendPasswordReset: JobHandler<'identity.send-password-reset'> = async ({ email }, { jobId }) => {
  const user = await unscopedDb('sign-in').user.findUnique({ where: { email } })
  if (!user || user.disabledAt || !user.passwordHash) return
  const id = `reset-${jobId}`
  const token = linkToken('reset-link', id)
  await unscopedDb('sign-in').$transaction(async (tx) => {
    const created = await tx.passwordResetToken.createMany({
      data: [{ id, userId: user.id, tokenHash: sha256(token), expiresAt: new Date(nowMs() + RESET_TTL_MS) }],
      skipDuplicates: true,
    })
    if (created.count === 0) return
    await tx.passwordResetToken.updateMany({
      where: { userId: user.id, usedAt: null, id: { not: id } },
      data: { usedAt: now() },
    })
    await recordAuditEvent(tx, {
      actor: { userId: user.id, email: user.email },
      organizationId: null,
      action: 'user.password_reset_requested',
      targetType: 'user',
      targetId: user.id,
    })
  })
  await sendEmail({
    idempotencyKey: `job:${jobId}`,
    to: user.email,
    secretLinks: true,
    ...renderEmail(
      'Reset your GGML partner platform password',
      [
        `Hello ${user.name},`,
        'Someone asked to reset the password of your account. The link below works once, for one hour, and ' +
          'only until a newer one is sent. If it was not you, ignore this email.',
      ],
      { label: 'Choose a new password', url: `${appUrl()}/reset-password/${token}` },
    ),
  })
}
