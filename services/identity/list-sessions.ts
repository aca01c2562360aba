import { unscopedDb } from '../platform/db/unscoped.ts'
import type { Actor } from './actor.ts'

export interface SessionSummary {
  id: string
  current: boolean
  createdAt: string
  lastSeenAt: string
  expiresAt: string
  ip: string | null
  userAgent: string | null
}

/** The person's own sessions, newest activity first; the id shown is a prefix of the stored hash. */
export async function listSessions(actor: Actor): Promise<SessionSummary[]> {
  const rows = await unscopedDb('sign-in').session.findMany({
    where: { userId: actor.userId },
    orderBy: { lastSeenAt: 'desc' },
  })
  return rows.map((s) => ({
    id: s.id.slice(0, 16),
    current: s.id === actor.sessionId,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
  }))
}
