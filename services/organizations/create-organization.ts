import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import { recordInvitation } from './record-invitation.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const organizationKinds = ['oem_partner', 'enterprise', 'services_client'] as const

export const createOrganizationSchema = z.object({
  name: z.string().trim().min(2, 'Enter the organization’s name.').max(120),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'Use lowercase letters, digits and single hyphens, like “northwind-silicon”.')
    .max(60),
  kind: z.enum(organizationKinds, 'Choose what kind of organization this is.'),
  /** Its first admin, invited at once (optional: staff may invite them later from the list). */
  firstAdminEmail: z
    .union([z.literal(''), z.email('Enter the first admin’s work email, or leave it empty.')])
    .optional()
    .transform((e) => (e ? e.toLowerCase() : undefined)),
})

export type CreateOrganizationInput = z.input<typeof createOrganizationSchema>

export async function createOrganization(actor: Actor, input: CreateOrganizationInput) {
  if (!canAsStaff(actor, 'organizations.create'))
    throw new AppError('forbidden', 'Only ggml staff can add organizations.')
  const data = parseInput(createOrganizationSchema, input)
  const taken = await unscopedDb('uniqueness').organization.findUnique({ where: { slug: data.slug } })
  if (taken)
    throw new AppError('conflict', 'That slug is taken.', { slug: ['Another organization already uses this slug.'] })
  return unscopedDb('staff view').$transaction(async (tx) => {
    const { firstAdminEmail, ...fields } = data
    const org = await tx.organization.create({ data: { id: newId(), ...fields } })
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: org.id,
      action: 'organization.create',
      targetType: 'organization',
      targetId: org.id,
      changes: { after: fields },
    })
    if (firstAdminEmail)
      await recordInvitation(
        tx,
        { organizationId: org.id, email: firstAdminEmail, role: 'partner_admin', invitedById: actor.userId },
        { userId: actor.userId, email: actor.email, onBehalfOf: org.slug },
      )
    return org
  })
}
