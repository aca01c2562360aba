import { z } from 'zod'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { newId } from '../platform/db/ids.ts'
import { recordAuditEvent, auditActorOf } from '../platform/audit/record-audit-event.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const mappingSchema = z.object({
  kind: z.enum(['sku', 'region'], 'Choose what you are mapping.'),
  source: z.string().trim().min(1, 'Enter your own name (a SKU or a region).').max(120),
  target: z.string().trim().min(1, 'Enter what it means (a device class or a region).').max(120),
})
/** Saves (or replaces) one mapping. A SKU must map to a device class that one of the partner's contracts covers. */
export async function saveMapping(scope: TenantScope, input: z.input<typeof mappingSchema>, allowedClasses: string[]) {
  assertCan(scope, 'report_mappings.manage')
  const m = parseInput(mappingSchema, input)
  if (m.kind === 'sku' && !allowedClasses.some((c) => c.toLowerCase() === m.target.toLowerCase())) {
    throw new AppError('invalid_input', 'Unknown device class.', {
      target: [`Your contracts cover ${allowedClasses.join(', ') || 'no device classes yet'}.`],
    })
  }
  const source = m.source.toLowerCase()
  await scope.db.$transaction(async (tx) => {
    const existing = await tx.reportMapping.findFirst({ where: { kind: m.kind, source } })
    if (existing) await tx.reportMapping.updateMany({ where: { id: existing.id }, data: { target: m.target } })
    else
      await tx.reportMapping.create({
        data: { id: newId(), organizationId: scope.organization.id, kind: m.kind, source, target: m.target },
      })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'report_mapping.save',
      targetType: 'report_mapping',
      targetId: source,
      changes: { kind: m.kind, source, target: m.target },
    })
  })
}
