import { z } from 'zod'
import type { Prisma } from './generated/client.ts'

// JSON columns come back from Prisma as `JsonValue`: each is parsed with its schema where it is read
// (issue 27, docs/decisions/050-typed-persistence.md), never cast.

const stringList = z.array(z.string())

/** A JSON column holding a list of strings (price-book exceptions, failed checks, event types). */
export const readStringList = (stored: unknown): string[] => stringList.parse(stored)

/**
 * A value for a JSON column, converted to what the column will hold: what JSON.stringify keeps (undefined
 * fields dropped, dates as ISO strings), as Prisma itself serializes it. For values whose type Prisma's
 * InputJsonValue refuses though they are JSON (an interface, a zod looseObject, a generic payload).
 */
export function toJsonColumn(value: unknown): Prisma.InputJsonValue {
  const text = JSON.stringify(value)
  if (text === undefined || text === 'null') throw new Error('A JSON column value must not be null or undefined.')
  return JSON.parse(text)
}
