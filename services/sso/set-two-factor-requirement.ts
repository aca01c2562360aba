import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

/** An organization's admin requires (or stops requiring) a second factor of every member's password sign-in. */
export async function setTwoFactorRequirement(scope: TenantScope, required: boolean) {
  assertCan(scope, 'sso.configure')
  await unscopedDb('in scope').$transaction(async (tx) => {
    await tx.organization.update({ where: { id: scope.organization.id }, data: { requireTwoFactor: required } })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'organization.require_two_factor',
      targetType: 'organization',
      targetId: scope.organization.id,
      changes: { requireTwoFactor: required },
    })
  })
}
