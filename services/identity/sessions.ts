import type { Db } from '../db/client.ts'
import { db } from '../db/client.ts'
import type { Actor } from './actor.ts'
import { newSecretToken, sha256 } from './tokens.ts'
import { now, nowMs } from '../platform/clock.ts'

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000
const TOUCH_EVERY_MS = 3600 * 1000

/** Starts a fresh session; the caller drops any previous one (rotation at sign-in). */
export async function createSession(
  client: Pick<Db, 'session'>,
  userId: string,
  meta: { ip?: string; userAgent?: string },
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const { token, tokenHash } = newSecretToken()
  const expiresAt = new Date(nowMs() + SESSION_TTL_MS)
  await client.session.create({
    data: { id: tokenHash, userId, expiresAt, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) },
  })
  return { token, sessionId: tokenHash, expiresAt }
}

/** The actor behind a session cookie, or null when it is unknown, expired or the user is disabled. */
export async function actorFromSessionToken(token: string | undefined): Promise<Actor | null> {
  if (!token) return null
  const id = sha256(token)
  const session = await db().session.findUnique({
    where: { id },
    include: { user: { include: { memberships: { include: { organization: true }, orderBy: { createdAt: 'asc' } } } } },
  })
  if (!session || session.expiresAt < now() || session.user.disabledAt) return null
  if (nowMs() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db().session.update({ where: { id }, data: { lastSeenAt: now() } })
  }
  return toActor(session.user, id)
}

/** The actor for a user without a browser session: seeds and scripts acting as a person. */
export async function actorForUser(userId: string): Promise<Actor> {
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    include: { memberships: { include: { organization: true }, orderBy: { createdAt: 'asc' } } },
  })
  return toActor(user, '')
}

type UserWithMemberships = {
  id: string
  email: string
  name: string
  memberships: {
    organizationId: string
    role: Actor['memberships'][number]['role']
    organization: { slug: string; name: string; kind: Actor['memberships'][number]['organizationKind'] }
  }[]
}

function toActor(user: UserWithMemberships, sessionId: string): Actor {
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    sessionId,
    memberships: user.memberships.map((m) => ({
      organizationId: m.organizationId,
      organizationSlug: m.organization.slug,
      organizationName: m.organization.name,
      organizationKind: m.organization.kind,
      role: m.role,
    })),
  }
}

export async function deleteSessionByToken(token: string | undefined): Promise<void> {
  if (!token) return
  await db().session.deleteMany({ where: { id: sha256(token) } })
}
