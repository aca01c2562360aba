import { appUrl } from '../platform/config/env.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { sendEmail } from '../platform/email/send-email.ts'
import { roleLabel } from '../identity/permissions.ts'
import { linkToken } from '../identity/tokens.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { now } from '../platform/clock.ts'

/** Mails an open invitation its link (a MAC of the invitation's id; only its hash is stored). */
export const handleSendInvitation: JobHandler<'identity.send-invitation'> = async ({ invitationId }, { jobId }) => {
  const inv = await unscopedDb('platform job').invitation.findUnique({
    where: { id: invitationId },
    include: { organization: true, invitedBy: true },
  })
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt <= now()) return
  const existing = await unscopedDb('platform job').user.findUnique({
    where: { email: inv.email },
    select: { id: true },
  })
  await sendEmail({
    idempotencyKey: `job:${jobId}`,
    to: inv.email,
    secretLinks: true,
    ...renderEmail(
      `You are invited to ${inv.organization.name} on the GGML partner platform`,
      [
        `${inv.invitedBy?.name ?? 'ggml'} invited you to join ${inv.organization.name} as ${roleLabel(inv.role)}.`,
        existing
          ? 'You already have an account: sign in with it to accept. The invitation is valid for seven days.'
          : 'The invitation is valid for seven days.',
      ],
      { label: 'Accept the invitation', url: `${appUrl()}/invitations/${linkToken('invitation-link', inv.id)}` },
    ),
  })
}
