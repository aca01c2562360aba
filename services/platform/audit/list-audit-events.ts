import { csvRow } from '../csv/csv.ts'
import { z } from 'zod'
import { unscopedDb } from '../db/unscoped.ts'
import type { Prisma } from '../db/generated/client.ts'
import { readPage, type PageRequest } from '../paging.ts'

export const auditFilterSchema = z.object({
  action: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  actor: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((v) => v || undefined),
  organizationId: z
    .string()
    .trim()
    .max(100)
    .optional()
    .transform((v) => v || undefined),
  from: z.iso
    .date()
    .optional()
    .or(z.literal('').transform(() => undefined)),
  to: z.iso
    .date()
    .optional()
    .or(z.literal('').transform(() => undefined)),
})

export type AuditFilter = z.infer<typeof auditFilterSchema>

export function auditWhere(f: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    action: f.action ? { contains: f.action } : undefined,
    actorEmail: f.actor ? { contains: f.actor, mode: 'insensitive' } : undefined,
    organizationId: f.organizationId,
    occurredAt: {
      gte: f.from ? new Date(`${f.from}T00:00:00Z`) : undefined,
      lt: f.to ? new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    },
  }
}

/** One page of the filtered log, newest first. */
export async function listAuditEvents(f: AuditFilter, request: PageRequest) {
  const where = auditWhere(f)
  const page = await readPage(
    request,
    (w) => unscopedDb('staff view').auditEvent.findMany({ where, orderBy: { seq: 'desc' }, ...w }),
    () => unscopedDb('staff view').auditEvent.count({ where }),
  )
  return { ...page, rows: page.rows.map((r) => ({ ...r, seq: r.seq.toString() })) }
}

/** Streams the filtered log as CSV, oldest first, in batches so a long log never sits in memory. */
export async function* auditCsv(f: AuditFilter): AsyncGenerator<string> {
  const db = unscopedDb('staff view')
  const columns = [
    'seq',
    'occurredAt',
    'actorEmail',
    'actorUserId',
    'organizationId',
    'action',
    'targetType',
    'targetId',
    'changes',
    'requestId',
    'ip',
    'prevHash',
    'hash',
  ] as const
  yield csvRow(columns)
  let after: bigint | undefined
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { AND: [auditWhere(f), after === undefined ? {} : { seq: { gt: after } }] },
      orderBy: { seq: 'asc' },
      take: 500,
    })
    if (rows.length === 0) return
    for (const r of rows) {
      const cell = (c: (typeof columns)[number]) =>
        c === 'occurredAt' ? r.occurredAt.toISOString() : c === 'seq' ? r.seq.toString() : r[c]
      yield csvRow(columns.map(cell))
      after = r.seq
    }
  }
}
