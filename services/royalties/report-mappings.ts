import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import type { ReportMappings } from './report-lines.ts'

export async function loadMappings(scope: TenantScope): Promise<ReportMappings> {
  const rows = await scope.db.reportMapping.findMany()
  return {
    sku: new Map(rows.filter((r) => r.kind === 'sku').map((r) => [r.source, r.target])),
    region: new Map(rows.filter((r) => r.kind === 'region').map((r) => [r.source, r.target])),
  }
}

export async function listMappings(scope: TenantScope) {
  assertCan(scope, 'royalties.view')
  return (await scope.db.reportMapping.findMany({ orderBy: [{ kind: 'asc' }, { source: 'asc' }] })).map((m) => ({
    id: m.id,
    kind: m.kind,
    source: m.source,
    target: m.target,
  }))
}
