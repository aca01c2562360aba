import { z } from 'zod'

// Where Prisma puts a trigger's message: its own message, the driver adapter's meta, or the cause.
const wrapped = z
  .looseObject({ message: z.unknown().optional(), meta: z.unknown().optional(), cause: z.unknown().optional() })
  .catch({})

/** Whether a database error is the trigger refusal whose message contains `text` (however Prisma wraps it). */
export function refusedBy(error: unknown, text: string): boolean {
  const e = wrapped.parse(error)
  const seen = `${String(e.message ?? '')} ${safeJson(e.meta)} ${safeJson(e.cause)}`
  return seen.includes(text)
}

const safeJson = (v: unknown) => {
  try {
    return JSON.stringify(v) ?? ''
  } catch {
    return ''
  }
}
