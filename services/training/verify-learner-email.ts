import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { createSession } from '../identity/sessions.ts'
import { sha256 } from '../identity/tokens.ts'
import { now } from '../platform/clock.ts'

/** A learner's own account: a personal organization of kind learner, where their training lives. */
const slugFor = (email: string, id: string) =>
  `learner-${
    email
      .split('@')[0]!
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 24) || 'me'
  }-${id.slice(0, 6)}`

/**
 * Opens the emailed link: creates the user, their personal training organization and the learner
 * membership, once, and signs them in. A used, expired or unknown link creates nothing.
 */
export async function verifyLearnerEmail(
  token: string,
  meta: { ip?: string; userAgent?: string },
): Promise<{ sessionToken: string; orgSlug: string }> {
  const signup = await unscopedDb('sign-in').learnerSignup.findUnique({ where: { tokenHash: sha256(token) } })
  if (!signup || signup.usedAt || signup.expiresAt < now())
    throw new AppError('not_found', 'This confirmation link is unknown, used or expired: sign up again.')
  return unscopedDb('sign-in').$transaction(async (tx) => {
    const claimed = await tx.learnerSignup.updateMany({
      where: { id: signup.id, usedAt: null },
      data: { usedAt: now() },
    })
    if (!claimed.count) throw new AppError('conflict', 'This link was just used: sign in.')
    if (await tx.user.findUnique({ where: { email: signup.email }, select: { id: true } }))
      throw new AppError('conflict', 'An account with this email exists already: sign in.')
    const userId = newId()
    const orgId = newId()
    const slug = slugFor(signup.email, orgId)
    await tx.user.create({
      data: { id: userId, email: signup.email, name: signup.name, passwordHash: signup.passwordHash },
    })
    await tx.organization.create({ data: { id: orgId, slug, name: signup.name, kind: 'learner' } })
    await tx.membership.create({ data: { id: newId(), userId, organizationId: orgId, role: 'learner' } })
    await recordAuditEvent(tx, {
      actor: { userId, email: signup.email },
      organizationId: orgId,
      action: 'learner.sign_up',
      targetType: 'user',
      targetId: userId,
    })
    const session = await createSession(tx, userId, meta)
    return { sessionToken: session.token, orgSlug: slug }
  })
}
