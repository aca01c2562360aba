import { appUrl } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { sendEmail } from '../platform/email/send-email.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { lockEndInWords } from './second-factor-lock.ts'

/**
 * Tells the person their second factor locked after wrong codes: whoever typed them had the password.
 * The email's key is the job's, so a retried job mails once.
 */
export const handleSendSecondFactorLocked: JobHandler<'identity.send-second-factor-locked'> = async (
  { userId, lockedUntil },
  { jobId },
) => {
  const user = await unscopedDb('sign-in').user.findUnique({ where: { id: userId } })
  if (!user || user.disabledAt) return
  await sendEmail({
    idempotencyKey: `job:${jobId}`,
    to: user.email,
    ...renderEmail(
      'Wrong sign-in codes for your GGML partner platform account',
      [
        `Hello ${user.name},`,
        'Someone entered wrong sign-in codes for your account several times in a row, after typing its ' +
          `password correctly. Sign-in codes are refused until ${lockEndInWords(new Date(lockedUntil))}.`,
        'If this was not you, change your password now: whoever tried knows it.',
      ],
      { label: 'Change your password', url: `${appUrl()}/forgot-password` },
    ),
  })
}
