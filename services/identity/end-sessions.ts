import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from './actor.ts'

export type SessionsToEnd = { one: string } | 'others' | 'all'

/** Signs the person out of one of their sessions (by the id prefix shown), all others, or all. */
export async function endSessions(actor: Actor, which: SessionsToEnd): Promise<{ ended: number }> {
  const where =
    which === 'all'
      ? { userId: actor.userId }
      : which === 'others'
        ? { userId: actor.userId, id: { not: actor.sessionId } }
        : { userId: actor.userId, id: { startsWith: which.one } }
  if (typeof which === 'object' && !/^[0-9a-f]{16}$/.test(which.one)) {
    throw new AppError('invalid_input', 'No such session.')
  }
  return unscopedDb('sign-in').$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where })
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: null,
      action: 'user.sessions_ended',
      targetType: 'user',
      targetId: actor.userId,
      changes: { which: typeof which === 'object' ? 'one' : which, ended: count },
    })
    return { ended: count }
  })
}
