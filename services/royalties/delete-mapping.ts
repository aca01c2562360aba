import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

export async function deleteMapping(scope: TenantScope, id: string) {
  assertCan(scope, 'report_mappings.manage')
  const removed = await scope.db.reportMapping.deleteMany({ where: { id } })
  if (!removed.count) throw new AppError('not_found', 'No such mapping.')
}
