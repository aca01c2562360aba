import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { hashPassword, passwordSchema } from '../identity/password.ts'
import { createSession } from '../identity/sessions.ts'
import { sha256 } from '../identity/tokens.ts'
import { now } from '../platform/clock.ts'
import { keepsAnAdmin } from './keeps-an-admin.ts'

export const acceptInvitationSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter your name.').max(120),
    password: passwordSchema,
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords differ.' })

const INVALID = 'This invitation is invalid, expired, revoked or already used. Ask for a new one.'

export async function findOpenInvitation(token: string) {
  const inv = await unscopedDb('token').invitation.findUnique({
    where: { tokenHash: sha256(token) },
    include: { organization: true },
  })
  if (!inv || inv.acceptedAt || inv.revokedAt || inv.expiresAt < now()) return null
  const existingUser = await unscopedDb('sign-in').user.findUnique({
    where: { email: inv.email },
    select: { id: true },
  })
  return { ...inv, hasAccount: Boolean(existingUser) }
}

/**
 * New people choose a name and password and are signed in. Someone who already has an account must
 * be signed in as that account to accept: the link alone never signs anyone in to an existing account.
 */
export async function acceptInvitation(
  token: string,
  input: { name?: string; password?: string },
  meta: { ip?: string; userAgent?: string; signedInEmail?: string },
): Promise<{ session?: { token: string; expiresAt: Date }; organizationSlug: string }> {
  const inv = await findOpenInvitation(token)
  if (!inv) throw new AppError('not_found', INVALID)
  if (inv.hasAccount && meta.signedInEmail !== inv.email) {
    throw new AppError('unauthenticated', `Sign in as ${inv.email} to accept this invitation.`)
  }
  const passwordHash = inv.hasAccount ? null : await hashPassword(input.password ?? '')
  return unscopedDb('sign-in').$transaction(async (tx) => {
    const claimed = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null, revokedAt: null },
      data: { acceptedAt: now() },
    })
    if (claimed.count !== 1) throw new AppError('not_found', INVALID)
    const user =
      (await tx.user.findUnique({ where: { email: inv.email } })) ??
      (await tx.user.create({ data: { id: newId(), email: inv.email, name: input.name ?? inv.email, passwordHash } }))
    // An invitation never demotes the organization's last admin (an older, lesser invitation accepted late).
    const role = (await keepsAnAdmin(tx, inv.organizationId, user.id, inv.role))
      ? inv.role
      : (
          await tx.membership.findUniqueOrThrow({
            where: { userId_organizationId: { userId: user.id, organizationId: inv.organizationId } },
          })
        ).role
    await tx.membership.upsert({
      where: { userId_organizationId: { userId: user.id, organizationId: inv.organizationId } },
      create: { id: newId(), userId: user.id, organizationId: inv.organizationId, role },
      update: { role },
    })
    const session = inv.hasAccount ? undefined : await createSession(tx, user.id, meta)
    await recordAuditEvent(tx, {
      actor: { userId: user.id, email: user.email },
      organizationId: inv.organizationId,
      action: 'invitation.accept',
      targetType: 'invitation',
      targetId: inv.id,
      changes: { after: { role: inv.role } },
    })
    return {
      session: session && { token: session.token, expiresAt: session.expiresAt },
      organizationSlug: inv.organization.slug,
    }
  })
}
