import { z } from 'zod'
import { recordAuditEvent } from '../audit/record-audit-event.ts'
import { db } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import { AppError } from '../errors/app-error.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'

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
})

export type CreateOrganizationInput = z.infer<typeof createOrganizationSchema>

export async function createOrganization(actor: Actor, input: CreateOrganizationInput) {
  if (!canAsStaff(actor, 'organizations.create'))
    throw new AppError('forbidden', 'Only ggml staff can add organizations.')
  const data = createOrganizationSchema.parse(input)
  const taken = await db().organization.findUnique({ where: { slug: data.slug } })
  if (taken)
    throw new AppError('conflict', 'That slug is taken.', { slug: ['Another organization already uses this slug.'] })
  return db().$transaction(async (tx) => {
    const org = await tx.organization.create({ data: { id: newId(), ...data } })
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: org.id,
      action: 'organization.create',
      targetType: 'organization',
      targetId: org.id,
      changes: { after: data },
    })
    return org
  })
}
