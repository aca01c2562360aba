import { unscopedDb } from '../platform/db/unscoped.ts'
import type { JobHandler } from '../platform/jobs/define-job.ts'
import { nowMs } from '../platform/clock.ts'
import { discardStaged } from './stage-royalty-report.ts'

/** An upload not posted within a day was abandoned (a process killed mid-report, a closed browser). */
export const STALE_UPLOAD_HOURS = 24

/** Discards uploads nothing posted, older than a day: their lines would otherwise stay forever. */
export async function discardStaleUploads(
  opts: { olderThanHours?: number; organizationId?: string } = {},
): Promise<number> {
  const hours = opts.olderThanHours ?? STALE_UPLOAD_HOURS
  const stale = await unscopedDb('platform job').reportUpload.findMany({
    where: {
      postedAt: null,
      createdAt: { lt: new Date(nowMs() - hours * 3_600_000) },
      ...(opts.organizationId && { organizationId: opts.organizationId }),
    },
    select: { id: true },
    take: 1000,
  })
  for (const u of stale) await discardStaged(u.id)
  return stale.length
}

export const handleDiscardStaleUploads: JobHandler<'royalties.discard-stale-uploads'> = async () => {
  await discardStaleUploads()
}
