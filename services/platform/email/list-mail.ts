import { unscopedDb } from '../db/unscoped.ts'
import type { Prisma } from '../db/generated/client.ts'
import { readPage, type PageRequest } from '../paging.ts'

/** One page of outgoing mail, newest first, optionally only to an address containing `to` (issue 29). */
export async function listMail(filter: { to?: string }, request: PageRequest) {
  const where: Prisma.MailMessageWhereInput = filter.to ? { to: { contains: filter.to, mode: 'insensitive' } } : {}
  return readPage(
    request,
    (w) =>
      unscopedDb('staff view').mailMessage.findMany({
        where,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: { id: true, to: true, subject: true, transport: true, createdAt: true },
        ...w,
      }),
    () => unscopedDb('staff view').mailMessage.count({ where }),
  )
}

export async function findMail(id: string) {
  return unscopedDb('staff view').mailMessage.findUnique({ where: { id } })
}
