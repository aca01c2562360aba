import { describe, expect, it } from 'vitest'
import { isDatabaseUnavailable } from './database-unavailable.ts'

// The shapes below are what pg and Prisma's pg adapter throw (recorded from PostgreSQL 15).
const prismaError = (cause: Record<string, unknown>, message = 'Invalid `prisma.x()` invocation') =>
  Object.assign(new Error(message), {
    code: 'P2010',
    meta: { driverAdapterError: { name: 'DriverAdapterError', cause } },
  })

describe('an outage of the database, told apart from a bug', () => {
  it('is recognised from Prisma, pg and the socket', () => {
    expect(isDatabaseUnavailable(prismaError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 }))).toBe(
      true,
    )
    expect(isDatabaseUnavailable(prismaError({ kind: 'postgres', originalCode: '57P01' }))).toBe(true)
    expect(
      isDatabaseUnavailable(
        prismaError(
          { kind: 'postgres', originalCode: '55000' },
          'Raw query failed. Code: `55000`. Message: `database "x" is not currently accepting connections`',
        ),
      ),
    ).toBe(true)
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true)
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true)
    expect(isDatabaseUnavailable(Object.assign(new Error('pool'), { code: 'P2024' }))).toBe(true)
  })

  it('is not a constraint, a bad value or any other error', () => {
    expect(isDatabaseUnavailable(prismaError({ kind: 'UniqueConstraintViolation' }))).toBe(false)
    expect(isDatabaseUnavailable(prismaError({ kind: 'postgres', originalCode: '55000' }, 'object in use'))).toBe(false)
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '23505' }))).toBe(false)
    expect(isDatabaseUnavailable(new TypeError('undefined is not a function'))).toBe(false)
    expect(isDatabaseUnavailable('Connection terminated')).toBe(false)
  })
})
