/**
 * The `code` of a thrown error (Prisma's P2002, PostgreSQL's 23505, Node's ENOENT), read without a cast:
 * a catch clause holds `unknown`, and anything without a string code answers undefined.
 */
export function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined
}

/** The message of a thrown value: an Error's message, anything else as text. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))
