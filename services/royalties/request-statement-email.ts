import { enqueueJob } from '../platform/jobs/enqueue-job.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { parsePeriod } from './reporting-period.ts'

/** Mails a period's statement to the organization's finance contacts (through the outbox). */
export async function requestStatementEmail(scope: TenantScope, periodText: string): Promise<{ period: string }> {
  assertCan(scope, 'statements.view')
  const period = parsePeriod(periodText)
  if (!period) {
    throw new AppError('invalid_input', 'Choose a period like 2027-Q1 or 2027-03 to email its statement.', {
      period: ['Use a period like 2027-Q1 or 2027-03.'],
    })
  }
  await scope.db.$transaction((tx) =>
    enqueueJob(tx, 'royalties.email-statement', { organizationId: scope.organization.id, period: period.tag }),
  )
  return { period: period.tag }
}
