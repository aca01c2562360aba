import { appUrl } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { sendEmail } from '../platform/email/send-email.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'

/** Tells the person an administrator reset their second factor, so a reset they did not ask for is noticed. */
export const handleSendSecondFactorReset: JobHandler<'identity.send-second-factor-reset'> = async (
  { userId },
  { jobId },
) => {
  const user = await unscopedDb('sign-in').user.findUnique({ where: { id: userId } })
  if (!user || user.disabledAt) return
  await sendEmail({
    idempotencyKey: `job:${jobId}`,
    to: user.email,
    ...renderEmail(
      'Your GGML partner platform second factor was reset',
      [
        `Hello ${user.name},`,
        'An administrator reset the second factor of your account: your authenticator and recovery codes no ' +
          'longer work, and you were signed out everywhere. Where a second factor is required, you will set up a ' +
          'new one the next time you sign in.',
        'If you did not ask for this, change your password and tell your administrator.',
      ],
      { label: 'Sign in', url: `${appUrl()}/login` },
    ),
  })
}
