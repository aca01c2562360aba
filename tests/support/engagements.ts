import { decideSignedException } from '../../services/engagements/decide-signed-exception.ts'
import { requestSignedException } from '../../services/engagements/request-signed-exception.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { tenantScope, type TenantScope } from '../../services/tenancy/tenant-guard.ts'
import { createUser, ggmlOrganization } from './fixtures.ts'

/**
 * A draft engagement signed outside the platform, the way the business allows it (issue 30): the
 * services lead records it, a ggml admin approves. Tests that need a signed engagement without
 * DocuSign use this; services-sow.test.ts signs through DocuSign.
 */
export async function signOutsideThePlatform(manage: TenantScope, engagementId: string) {
  await requestSignedException(manage, {
    engagementId,
    reason: 'Signed on paper at the kickoff; the copy is in the deal folder.',
  })
  const admin = await createUser((await ggmlOrganization()).id, 'ggml_admin')
  const approver = await tenantScope(await actorForUser(admin.id), { id: manage.organization.id }, 'engagements.view')
  await decideSignedException(approver, { engagementId, decision: 'approve' })
}
