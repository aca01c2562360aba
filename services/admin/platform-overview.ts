import { unscopedDb } from '../platform/db/unscoped.ts'
import { jobCounts } from '../platform/jobs/failed-jobs.ts'

export async function platformOverview() {
  const [organizations, users, auditEvents, outboxBacklog, mail, jobs] = await Promise.all([
    unscopedDb('staff view').organization.count(),
    unscopedDb('staff view').user.count(),
    unscopedDb('staff view').auditEvent.count(),
    unscopedDb('staff view').outboxMessage.count({ where: { relayedAt: null } }),
    unscopedDb('staff view').mailMessage.count(),
    jobCounts(),
  ])
  return { organizations, users, auditEvents, outboxBacklog, mail, jobs }
}
