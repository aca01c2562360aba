import { z } from 'zod'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import { scopedDb } from '../tenancy/tenant-guard.ts'
import { recordInvitation } from './record-invitation.ts'

export const firstAdminSchema = z.object({
  organizationSlug: z.string().trim().min(1).max(80),
  email: z.email('Enter the first admin’s work email.').transform((e) => e.toLowerCase()),
})

/**
 * Onboarding: ggml staff who add an organization invite its first admin, who then invites their own
 * team. Only while the organization has no admin: after that, its admins decide who joins.
 */
export async function inviteFirstAdmin(actor: Actor, input: z.input<typeof firstAdminSchema>) {
  if (!canAsStaff(actor, 'organizations.create'))
    throw new AppError('forbidden', 'Only ggml staff who add organizations can invite their first admin.')
  const parsed = firstAdminSchema.safeParse(input)
  if (!parsed.success)
    throw new AppError('invalid_input', 'Check the email.', { email: [parsed.error.issues[0]!.message] })
  const { organizationSlug, email } = parsed.data
  const org = await unscopedDb('staff view').organization.findUnique({ where: { slug: organizationSlug } })
  if (!org || !['oem_partner', 'enterprise', 'services_client'].includes(org.kind))
    throw new AppError('not_found', 'No such partner or customer organization.')
  const admins = await unscopedDb('staff view').membership.count({
    where: { organizationId: org.id, role: 'partner_admin', deactivatedAt: null },
  })
  if (admins > 0)
    throw new AppError('conflict', `${org.name} already has an admin: its admins invite their own team.`, {
      email: [`${org.name} already has an admin.`],
    })
  return scopedDb(unscopedDb('staff view'), org.id).$transaction((tx) =>
    recordInvitation(
      tx,
      { organizationId: org.id, email, role: 'partner_admin', invitedById: actor.userId },
      { userId: actor.userId, email: actor.email, onBehalfOf: org.slug },
    ),
  )
}
