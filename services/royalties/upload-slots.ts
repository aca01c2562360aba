import { AppError } from '../errors/app-error.ts'

/**
 * Streamed report uploads one organization may have in flight in one process. Each holds a pooled
 * connection for as long as its body takes to arrive: unbounded, one partner's slow uploads (or a
 * stolen token sending a byte at a time) held all eight connections of the staging pool and stopped
 * every partner's uploads and credit usage (operator review of issue 24).
 */
export const UPLOADS_IN_FLIGHT_PER_ORGANIZATION = 2
const inFlight = new Map<string, number>()

/** Runs a streamed upload in one of the organization's slots, or refuses it (429) while both are taken. */
export async function withUploadSlot<T>(organizationId: string, upload: () => Promise<T>): Promise<T> {
  const taken = inFlight.get(organizationId) ?? 0
  if (taken >= UPLOADS_IN_FLIGHT_PER_ORGANIZATION)
    throw new AppError(
      'rate_limited',
      `${taken} reports of your organization are still being received; send this one when they have finished.`,
    )
  inFlight.set(organizationId, taken + 1)
  try {
    return await upload()
  } finally {
    const left = (inFlight.get(organizationId) ?? 1) - 1
    if (left > 0) inFlight.set(organizationId, left)
    else inFlight.delete(organizationId)
  }
}
