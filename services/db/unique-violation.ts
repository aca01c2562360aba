/** A write the database refused as a duplicate (Prisma's P2002, or PostgreSQL's 23505 underneath). */
export const isUniqueViolation = (e: unknown): boolean => {
  const code = (e as { code?: string } | null)?.code
  return code === 'P2002' || code === '23505'
}
