import { z } from 'zod'
/**
 * The database could not be reached or ended the connection (a restart, a failover, an outage, an
 * administrator): not a bug and not the client's fault, so the edge answers 503 with Retry-After and
 * the client sends again (with its Idempotency-Key, which makes that safe). Found by the fault suite
 * (tests/fault, issue 24): during a 15 s outage every API call and page answered 500.
 */
const PG_UNAVAILABLE = /^(57P0[1-3]|08\d{3}|53300)$/ // shutdown, cannot connect now, connection lost, too many
const NODE_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'])
// Prisma: cannot reach the server, it closed the connection, no pool connection in time.
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1017', 'P2024', 'P2028'])
const ADAPTER_UNAVAILABLE = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections'])
const MESSAGE = new RegExp(
  [
    'Connection terminated',
    'terminating connection',
    'not currently accepting connections',
    'timeout exceeded when trying to connect',
    'Unable to start a transaction in the given time',
  ].join('|'),
  'i',
)

// Where Prisma's driver adapter reports the failure: the adapter's kind and PostgreSQL's own code.
const prismaError = z
  .looseObject({
    code: z.unknown().optional(),
    meta: z
      .looseObject({
        driverAdapterError: z
          .looseObject({
            cause: z
              .looseObject({ kind: z.string().optional(), originalCode: z.string().optional() })
              .optional()
              .catch(undefined),
          })
          .optional()
          .catch(undefined),
      })
      .optional()
      .catch(undefined),
  })
  .catch({})

export function isDatabaseUnavailable(e: unknown): boolean {
  if (!(e instanceof Error)) return false
  const err = prismaError.parse(e)
  const cause = err.meta?.driverAdapterError?.cause
  if (cause?.kind && ADAPTER_UNAVAILABLE.has(cause.kind)) return true
  if (cause?.originalCode && PG_UNAVAILABLE.test(cause.originalCode)) return true
  const code = typeof err.code === 'string' ? err.code : ''
  if (PG_UNAVAILABLE.test(code) || NODE_UNAVAILABLE.has(code) || PRISMA_UNAVAILABLE.has(code)) return true
  return MESSAGE.test(e.message)
}

/** What a person is told while the database does not answer (the API adds what a retry does). */
export const DATABASE_UNAVAILABLE_MESSAGE =
  'The platform cannot reach its database for a moment; try again in a few seconds.'
