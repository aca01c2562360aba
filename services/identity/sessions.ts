import { z } from 'zod'
import type { Db } from '../platform/db/client.ts'
import { OrganizationKind, Role } from '../platform/db/generated/enums.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import type { Actor } from './actor.ts'
import { newSecretToken, sha256 } from './tokens.ts'
import { env } from '../platform/config/env.ts'
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

// What the session read returns: one row per active membership (none: one row of nulls), parsed.
const sessionRow = z.object({
  expiresAt: z.date(),
  lastSeenAt: z.date(),
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  disabledAt: z.date().nullable(),
  organizationId: z.string().nullable(),
  role: z.enum(Role).nullable(),
  organizationSlug: z.string().nullable(),
  organizationName: z.string().nullable(),
  organizationKind: z.enum(OrganizationKind).nullable(),
})

/**
 * The actor behind a session cookie, or null when it is unknown, expired or the user is disabled. Every
 * signed-in request asks this first: one statement joins the session, its user and their active
 * memberships (issue 31: Prisma's include read them in four round trips, before any page's own reads).
 */
export async function actorFromSessionToken(token: string | undefined): Promise<Actor | null> {
  if (!token) return null
  const id = sha256(token)
  const rows = z.array(sessionRow).parse(
    await unscopedDb('sign-in').$queryRaw`
      SELECT s."expiresAt", s."lastSeenAt", u."id" AS "userId", u."email", u."name", u."disabledAt",
             m."organizationId", m."role"::text AS "role", o."slug" AS "organizationSlug",
             o."name" AS "organizationName", o."kind"::text AS "organizationKind"
        FROM "Session" s
        JOIN "User" u ON u."id" = s."userId"
        LEFT JOIN "Membership" m ON m."userId" = u."id" AND m."deactivatedAt" IS NULL
        LEFT JOIN "Organization" o ON o."id" = m."organizationId"
       WHERE s."id" = ${id}
       ORDER BY m."createdAt" ASC, m."id" ASC`,
  )
  const session = rows[0]
  if (!session || session.disabledAt) return null
  if (session.expiresAt <= now() || nowMs() - session.lastSeenAt.getTime() >= idleMs()) {
    await unscopedDb('sign-in').session.deleteMany({ where: { id } })
    return null
  }
  if (nowMs() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await unscopedDb('sign-in').session.update({ where: { id }, data: { lastSeenAt: now() } })
  }
  return {
    userId: session.userId,
    email: session.email,
    name: session.name,
    sessionId: id,
    memberships: rows.flatMap((m) =>
      m.organizationId && m.role && m.organizationSlug && m.organizationName && m.organizationKind
        ? [
            {
              organizationId: m.organizationId,
              organizationSlug: m.organizationSlug,
              organizationName: m.organizationName,
              organizationKind: m.organizationKind,
              role: m.role,
            },
          ]
        : [],
    ),
  }
}

/** The actor for a user without a browser session: seeds and scripts acting as a person. */
export async function actorForUser(userId: string): Promise<Actor> {
  const user = await unscopedDb('sign-in').user.findUniqueOrThrow({
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
  await unscopedDb('sign-in').session.deleteMany({ where: { id: sha256(token) } })
}
