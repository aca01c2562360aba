import { errorCode } from '../errors/error-code.ts'

/** A write the database refused as a duplicate (Prisma's P2002, or PostgreSQL's 23505 underneath). */
export const isUniqueViolation = (e: unknown): boolean => {
  const code = errorCode(e)
  return code === 'P2002' || code === '23505'
}
