import { db } from '../db/client.ts'

export async function listMail(take = 100) {
  return db().mailMessage.findMany({
    orderBy: { createdAt: 'desc' },
    take,
    select: { id: true, to: true, subject: true, transport: true, createdAt: true },
  })
}

export async function findMail(id: string) {
  return db().mailMessage.findUnique({ where: { id } })
}
