import type { Db } from '../db/client.ts'
import { db } from '../db/client.ts'
import type { Actor } from './actor.ts'
import { newSecretToken, sha256 } from './tokens.ts'
import { env } from '../config/env.ts'
import { now, nowMs } from '../platform/clock.ts'

// A session ends after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_DAYS after sign-in
// whatever happens. Last activity is written at most every minute.
const TOUCH_EVERY_MS = 60 * 1000
const idleMs = () => env().SESSION_IDLE_MINUTES * 60 * 1000
const lifetimeMs = () => env().SESSION_MAX_DAYS * 24 * 3600 * 1000

/** Starts a fresh session; the caller drops any previous one (rotation at sign-in). */
export async function createSession(
  client: Pick<Db, 'session'>,
  userId: string,
  meta: { ip?: string; userAgent?: string },
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const { token, tokenHash } = newSecretToken()
  const at = now()
  const expiresAt = new Date(at.getTime() + lifetimeMs())
  await client.session.create({
    data: {
      id: tokenHash,
      userId,
      createdAt: at,
      lastSeenAt: at,
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300),
    },
  })
  return { token, sessionId: tokenHash, expiresAt }
}

// A membership its organization's SCIM deactivated grants nothing (decision 018).
const activeMemberships = {
  where: { deactivatedAt: null },
  include: { organization: true },
  orderBy: { createdAt: 'asc' },
} as const

/** The actor behind a session cookie, or null when it is unknown, expired or the user is disabled. */
export async function actorFromSessionToken(token: string | undefined): Promise<Actor | null> {
  if (!token) return null
  const id = sha256(token)
  const session = await db().session.findUnique({
    where: { id },
    include: { user: { include: { memberships: activeMemberships } } },
  })
  if (!session || session.user.disabledAt) return null
  if (session.expiresAt <= now() || nowMs() - session.lastSeenAt.getTime() >= idleMs()) {
    await db().session.deleteMany({ where: { id } })
    return null
  }
  if (nowMs() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db().session.update({ where: { id }, data: { lastSeenAt: now() } })
  }
  return toActor(session.user, id)
}

/** The actor for a user without a browser session: seeds and scripts acting as a person. */
export async function actorForUser(userId: string): Promise<Actor> {
  const user = await db().user.findUniqueOrThrow({
    where: { id: userId },
    include: { memberships: activeMemberships },
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
