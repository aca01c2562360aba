import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import { retryFailedJob } from '../platform/jobs/failed-jobs.ts'

export async function retryFailedJobAsAdmin(actor: Actor, jobId: string): Promise<void> {
  if (!canAsStaff(actor, 'jobs.retry')) throw new AppError('forbidden', 'You may not retry jobs.')
  if (!(await retryFailedJob(jobId)))
    throw new AppError('not_found', 'That job is no longer failed; it may have been retried already.')
  await unscopedDb('staff view').$transaction((tx) =>
    recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: null,
      action: 'job.retry',
      targetType: 'job',
      targetId: jobId,
    }),
  )
}
