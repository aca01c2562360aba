import { appUrl } from '../platform/config/env.ts'
import type { Tx } from '../platform/db/client.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { roleGrants, type Permission } from '../identity/permissions.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { activeMember } from '../identity/active-member.ts'

/** The addresses of an organization's members whose role allows an action (e.g. who accepts milestones). */
export async function membersWho(tx: Tx, organizationId: string, permission: Permission): Promise<string[]> {
  const members = await tx.membership.findMany({
    where: { organizationId, ...activeMember },
    select: { role: true, user: { select: { email: true } } },
  })
  return members.filter((m) => roleGrants(m.role, permission)).map((m) => m.user.email)
}

/** One mail per address, in the caller's transaction: it is sent if and only if the change commits. */
export async function mailEach(
  tx: Tx,
  to: string[],
  subject: string,
  lines: string[],
  link: { label: string; path: string },
) {
  for (const address of new Set(to))
    await enqueueJob(tx, 'email.send', {
      to: address,
      ...renderEmail(subject, lines, { label: link.label, url: `${appUrl()}${link.path}` }),
    })
}
