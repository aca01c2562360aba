import { unscopedDb } from '../platform/db/unscoped.ts'
import { now } from '../platform/clock.ts'
import { closeAttempt } from './submit-attempt.ts'

/** The deadline job (every minute): submits each attempt whose time is up, with the answers saved by then. */
export async function closeExpiredAttempts(): Promise<{ closed: number }> {
  const due = await unscopedDb('platform job').examAttempt.findMany({
    where: { status: 'active', deadline: { lte: now() } },
    select: { id: true },
    take: 500,
  })
  let closed = 0
  for (const { id } of due)
    if (await unscopedDb('platform job').$transaction((tx) => closeAttempt(tx, id, 'deadline'))) closed++
  return { closed }
}
