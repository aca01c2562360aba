import { db } from '../db/client.ts'
import { jobCounts } from '../jobs/failed-jobs.ts'

export async function platformOverview() {
  const [organizations, users, auditEvents, outboxBacklog, mail, jobs] = await Promise.all([
    db().organization.count(),
    db().user.count(),
    db().auditEvent.count(),
    db().outboxMessage.count({ where: { relayedAt: null } }),
    db().mailMessage.count(),
    jobCounts(),
  ])
  return { organizations, users, auditEvents, outboxBacklog, mail, jobs }
}
