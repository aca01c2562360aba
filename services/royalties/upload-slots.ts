import { env } from '../platform/config/env.ts'
import { AppError } from '../platform/errors/app-error.ts'

/**
 * Streamed report uploads one organization may have in flight in one process. Each holds a pooled
 * connection for as long as its body takes to arrive: unbounded, one partner's slow uploads (or a
 * stolen token sending a byte at a time) held all eight connections of the staging pool and stopped
 * every partner's uploads and credit usage (operator review of issue 24).
 */
export const UPLOADS_IN_FLIGHT_PER_ORGANIZATION = 2
const inFlight = new Map<string, number>()
/**
 * And all organizations together (UPLOADS_IN_FLIGHT_PER_PROCESS, below the pool's size): five partners
 * trickling two uploads each still held every connection (issue 24), so credit usage stalled and answered
 * 503 "database unreachable" while the database was fine.
 */
let inProcess = 0

/**
 * Runs a streamed upload in one of the organization's slots and one of the process's, or refuses it at once:
 * 429 while the organization's are taken, 503 "busy" (with Retry-After) while the process's are.
 */
export async function withUploadSlot<T>(organizationId: string, upload: () => Promise<T>): Promise<T> {
  const taken = inFlight.get(organizationId) ?? 0
  if (taken >= UPLOADS_IN_FLIGHT_PER_ORGANIZATION)
    throw new AppError(
      'rate_limited',
      `${taken} reports of your organization are still being received; send this one when they have finished.`,
    )
  if (inProcess >= env().UPLOADS_IN_FLIGHT_PER_PROCESS)
    throw new AppError(
      'busy',
      `The server is busy receiving other reports and took nothing from this one; nothing was stored. ` +
        `Send it again after the Retry-After delay, with the same Idempotency-Key.`,
    )
  inFlight.set(organizationId, taken + 1)
  inProcess++
  try {
    return await upload()
  } finally {
    inProcess--
    const left = (inFlight.get(organizationId) ?? 1) - 1
    if (left > 0) inFlight.set(organizationId, left)
    else inFlight.delete(organizationId)
  }
}
