import type { Actor } from '../identity/actor.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { changesSchema, describeChanges, manifestSchema } from './accounting-export-changes.ts'

export interface MonthExports {
  period: string
  closedOn: string
  exports: {
    id: string
    exportedAt: string
    by: string
    files: { id: string; name: string; sha256: string; bytes: number }[]
    totals: { currency: string; debitsMinor: bigint; creditsMinor: bigint }[]
    changes: string[]
  }[]
}

/** The closed months, newest first, each with its exports (newest first) and what each changed. */
export async function accountingExportsByMonth(actor: Actor, take = 12): Promise<MonthExports[]> {
  const { db } = allPartnersScope(actor, 'finance.export_journal')
  const closes = await db.ledgerPeriodClose.findMany({
    orderBy: { period: 'desc' },
    take,
    include: {
      exports: {
        orderBy: [{ exportedAt: 'desc' }, { id: 'desc' }],
        include: { files: { select: { id: true, name: true, sha256: true }, orderBy: { name: 'asc' } } },
      },
    },
  })
  // Sizes from the database: the page never loads the files themselves.
  const sizes = new Map(
    (
      await db.$queryRaw<{ id: string; bytes: number }[]>`
        SELECT "id", octet_length("content")::int AS bytes FROM "AccountingExportFile"
        WHERE "exportId" = ANY(${closes.flatMap((c) => c.exports.map((e) => e.id))}::text[])`
    ).map((r) => [r.id, r.bytes]),
  )
  const people = new Map(
    (
      await db.user.findMany({
        where: { id: { in: [...new Set(closes.flatMap((c) => c.exports.map((e) => e.exportedById)))] } },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  )
  return closes.map((c) => ({
    period: c.period,
    closedOn: c.closedAt.toISOString().slice(0, 10),
    exports: c.exports.map((e) => {
      const manifest = manifestSchema.parse(e.manifest)
      return {
        id: e.id,
        exportedAt: e.exportedAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
        by: people.get(e.exportedById) ?? 'someone no longer here',
        files: e.files.map((f) => ({
          id: f.id,
          name: f.name,
          sha256: f.sha256,
          bytes: sizes.get(f.id) ?? 0,
        })),
        totals: manifest.totals.map((t) => ({
          currency: t.currency,
          debitsMinor: BigInt(t.debitsMinor),
          creditsMinor: BigInt(t.creditsMinor),
        })),
        changes: describeChanges(changesSchema.parse(e.changes)),
      }
    }),
  }))
}

/** One exported file, exactly as recorded. */
export async function accountingExportFile(actor: Actor, fileId: string) {
  const { db } = allPartnersScope(actor, 'finance.export_journal')
  const f = /^[0-9a-f-]{36}$/.test(fileId) ? await db.accountingExportFile.findUnique({ where: { id: fileId } }) : null
  if (!f) throw new AppError('not_found', 'No such export file.')
  return { name: f.name, sha256: f.sha256, content: f.content }
}
