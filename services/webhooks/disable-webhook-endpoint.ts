import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { appUrl } from '../platform/config/env.ts'
import type { Tx } from '../platform/db/client.ts'
import { renderEmail } from '../platform/email/render-email.ts'
import { activeMember } from '../identity/active-member.ts'
import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { now } from '../platform/clock.ts'

/**
 * Turns off an endpoint that failed for three days, in the transaction that records the last failure:
 * no more events are written for it, its pending retries are dropped, and the organization's admins
 * are told by email (once: only the transaction that disabled it sends) how to turn it back on.
 */
export async function disableFailingEndpoint(
  tx: Tx,
  endpoint: { id: string; organizationId: string; url: string },
  reason: string,
): Promise<boolean> {
  const at = now()
  const moved = await tx.webhookEndpoint.updateMany({
    where: { id: endpoint.id, disabledAt: null },
    data: { disabledAt: at, disabledReason: reason },
  })
  if (moved.count === 0) return false
  await tx.webhookDelivery.updateMany({
    where: { endpointId: endpoint.id, nextAttemptAt: { not: null } },
    data: { nextAttemptAt: null },
  })
  await recordAuditEvent(tx, {
    actor: null,
    organizationId: endpoint.organizationId,
    action: 'webhook_endpoint.disable',
    targetType: 'webhook_endpoint',
    targetId: endpoint.id,
    changes: { url: endpoint.url, reason },
  })
  const org = await tx.organization.findUniqueOrThrow({
    where: { id: endpoint.organizationId },
    select: { slug: true, name: true },
  })
  const admins = await tx.membership.findMany({
    where: { organizationId: endpoint.organizationId, role: 'partner_admin', ...activeMember },
    select: { user: { select: { email: true } } },
  })
  const mail = renderEmail(
    `Webhook endpoint disabled: ${endpoint.url}`,
    [
      `We stopped sending webhooks to ${endpoint.url} for ${org.name}: ${reason}`,
      'Events that happen while it is disabled are not sent to it. Once your receiver answers 2xx again, ' +
        're-enable the endpoint on the webhooks page; any delivery listed there can be resent.',
    ],
    { label: 'Open the webhooks page', url: `${appUrl()}/portal/${org.slug}/webhooks` },
  )
  for (const a of admins) await enqueueJob(tx, 'email.send', { to: a.user.email, ...mail })
  return true
}
