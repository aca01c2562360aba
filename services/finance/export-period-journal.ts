import { createHash } from 'node:crypto'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { addDays, addMonths } from '../kernel/calendar/months.ts'
import type { Db } from '../platform/db/client.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { accountLabels } from '../ledger/account-labels.ts'
import { isCurrency } from '../kernel/money/currency.ts'
import { now } from '../platform/clock.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import {
  exportChanges,
  manifestSchema,
  type Correction,
  type ExportChanges,
  type ExportManifest,
} from './accounting-export-changes.ts'
import { journalFiles, journalTotals, type JournalOut } from './accounting-formats.ts'
import { trialBalanceTable } from './finance-reports.ts'

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex')
const day = (d: Date) => d.toISOString().slice(0, 10)
const journalNo = (seq: bigint) => `GGML-${seq}`

export interface PeriodExport {
  exportId: string
  period: string
  files: { id: string; name: string; sha256: string }[]
  totals: { currency: string; debitsMinor: bigint; creditsMinor: bigint }[]
  changes: ExportChanges
}

/**
 * Exports a closed month's journal (issue 32, decision 029): every entry dated in it, each line under
 * finance's account, as a generic double-entry CSV, Xero manual journals (a file per currency) and a
 * QuickBooks Online journal import. Refused while any account it uses is unmapped, naming them. The
 * totals must balance per currency and equal the trial balance's movement over the month, or nothing
 * is recorded. Every export is kept (who, when, each file and its hash) and says what changed since
 * the month's previous one: the month is locked, so that is the mapping, or corrections posted later.
 */
export async function exportPeriodJournal(actor: Actor, period: string): Promise<PeriodExport> {
  const { db } = allPartnersScope(actor, 'finance.export_journal')
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period))
    throw new AppError('invalid_input', 'Use a month like 2027-03.', { period: ['Use a month like 2027-03.'] })
  if (!(await db.ledgerPeriodClose.findUnique({ where: { period } })))
    throw new AppError(
      'conflict',
      `${period} is not closed: close it first, so its journal cannot change after export.`,
    )
  const start = `${period}-01`
  const next = addMonths(start, 1)

  const { journals, entryDigests } = await periodJournal(db, start, next)
  const mapping = new Map((await db.accountingAccountMapping.findMany()).map((m) => [m.accountType, m]))
  const unmapped = [...new Set(journals.flatMap((j) => j.lines.map((l) => l.accountType)))]
    .filter((t) => !mapping.has(t))
    .sort()
  if (unmapped.length)
    throw new AppError(
      'invalid_input',
      `Map these ledger accounts to your chart of accounts before exporting ${period}: ` +
        `${unmapped.map((t) => `${accountLabels[t]} (${t})`).join(', ')}.`,
    )
  for (const j of journals)
    for (const l of j.lines) {
      const m = mapping.get(l.accountType)!
      l.code = m.code
      l.name = m.name
    }

  const totals = [...journalTotals(journals).perCurrency]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, t]) => ({ currency, ...t }))
  for (const t of totals)
    if (t.debitsMinor !== t.creditsMinor)
      throw new AppError('conflict', `The ${period} journal does not balance in ${t.currency}; nothing was exported.`)
  await assertEqualsTrialBalance(actor, journals, start, next, period)

  const files = journalFiles(period, journals).map((f) => ({ ...f, sha256: sha256(f.content) }))
  const manifest: ExportManifest = {
    entries: entryDigests,
    corrections: await laterCorrections(db, start, next),
    mapping: Object.fromEntries(
      [...mapping].sort(([a], [b]) => a.localeCompare(b)).map(([t, m]) => [t, { code: m.code, name: m.name }]),
    ),
    totals: totals.map((t) => ({
      currency: t.currency,
      debitsMinor: t.debitsMinor.toString(),
      creditsMinor: t.creditsMinor.toString(),
    })),
    files: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
  }

  return db.$transaction(async (tx) => {
    // One export of a month at a time, so each compares with the one before it.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`accounting-export:${period}`}))`
    const last = await tx.accountingExport.findFirst({
      where: { period },
      orderBy: [{ exportedAt: 'desc' }, { id: 'desc' }],
    })
    const changes = exportChanges(last && { id: last.id, manifest: manifestSchema.parse(last.manifest) }, manifest)
    const exportId = newId()
    await tx.accountingExport.create({
      data: { id: exportId, period, exportedById: actor.userId, exportedAt: now(), manifest, changes },
    })
    const stored = files.map((f) => ({ id: newId(), ...f }))
    await tx.accountingExportFile.createMany({
      data: stored.map((f) => ({
        id: f.id,
        exportId,
        name: f.name,
        format: f.format,
        sha256: f.sha256,
        content: f.content,
      })),
    })
    await recordAuditEvent(tx, {
      actor: { userId: actor.userId, email: actor.email },
      organizationId: null,
      action: 'accounting.export_journal',
      targetType: 'period',
      targetId: period,
      changes: {
        exportId,
        files: manifest.files,
        identicalToPrevious: changes.identical,
        newCorrections: changes.newCorrections.map((c) => c.journalNo),
      },
    })
    return {
      exportId,
      period,
      files: stored.map((f) => ({ id: f.id, name: f.name, sha256: f.sha256 })),
      totals,
      changes,
    }
  })
}

/** Every entry dated in [start, next), across partners, with its lines (finance's accounts filled in later). */
async function periodJournal(db: Db, start: string, next: string) {
  const entries = await db.journalEntry.findMany({
    where: { effectiveDate: { gte: new Date(`${start}T00:00:00Z`), lt: new Date(`${next}T00:00:00Z`) } },
    include: {
      lines: { include: { account: { select: { type: true } } }, orderBy: { id: 'asc' } },
      organization: { select: { name: true } },
    },
    orderBy: { seq: 'asc' },
  })
  const journals: JournalOut[] = []
  const entryDigests: ExportManifest['entries'] = []
  for (const e of entries) {
    const currency = e.currency
    if (!isCurrency(currency)) throw new Error(`Unknown currency ${currency} on ${e.id}.`)
    // An entry that charged nothing (a zero report's rating) has no line to import.
    if (!e.lines.length) continue
    const lines = e.lines.map((l) => ({
      accountType: l.account.type,
      code: '',
      name: '',
      debitMinor: l.debitMinor,
      creditMinor: l.creditMinor,
      memo: l.memo,
    }))
    journals.push({
      journalNo: journalNo(e.seq),
      date: day(e.effectiveDate),
      currency,
      description: e.description,
      partner: e.organization.name,
      sourceReference: e.idempotencyKey,
      lines,
    })
    const canonical = lines
      .map((l) => `${l.accountType}|${l.debitMinor}|${l.creditMinor}|${l.memo}`)
      .sort()
      .join('\n')
    entryDigests.push({
      id: e.id,
      journalNo: journalNo(e.seq),
      digest: sha256(`${day(e.effectiveDate)}|${e.currency}|${e.description}|${e.organization.name}\n${canonical}`),
    })
  }
  return { journals, entryDigests }
}

/**
 * The journal's debits and credits per account type and currency must be the trial balance at the
 * month's last day less the trial balance at the day before it began: the same read model finance
 * reads the ledger by, so the export cannot say something the books do not.
 */
async function assertEqualsTrialBalance(
  actor: Actor,
  journals: JournalOut[],
  start: string,
  next: string,
  period: string,
) {
  const key = (r: (string | bigint | number)[]) => `${String(r[1])} ${String(r[2])}`
  const [atEnd, before] = await Promise.all([
    trialBalanceTable(actor, { asOf: addDays(next, -1) }),
    trialBalanceTable(actor, { asOf: addDays(start, -1) }),
  ])
  const opening = new Map(before.rows.map((r) => [key(r), r]))
  const { perAccount } = journalTotals(journals)
  const movement = new Map<string, { debitsMinor: bigint; creditsMinor: bigint }>()
  for (const r of atEnd.rows) {
    const o = opening.get(key(r))
    const debits = BigInt(r[3]!) - BigInt(o?.[3] ?? 0n)
    const credits = BigInt(r[4]!) - BigInt(o?.[4] ?? 0n)
    if (debits || credits) movement.set(key(r), { debitsMinor: debits, creditsMinor: credits })
  }
  const keys = new Set([...movement.keys(), ...perAccount.keys()])
  for (const k of keys) {
    const a = movement.get(k)
    const b = perAccount.get(k)
    if (a?.debitsMinor !== b?.debitsMinor || a?.creditsMinor !== b?.creditsMinor)
      throw new AppError(
        'conflict',
        `The ${period} journal differs from the trial balance on ${k}; nothing was exported.`,
      )
  }
}

/**
 * Entries posted after the month that correct it: reversals of its entries, and postings for a service
 * period inside it (a late or restated report). They belong to the open month they are dated in; the
 * export names them so finance knows the month's figures moved since.
 */
async function laterCorrections(db: Db, start: string, next: string): Promise<Correction[]> {
  const startDate = new Date(`${start}T00:00:00Z`)
  const nextDate = new Date(`${next}T00:00:00Z`)
  const later = await db.journalEntry.findMany({
    where: {
      effectiveDate: { gte: nextDate },
      OR: [
        { reverses: { effectiveDate: { gte: startDate, lt: nextDate } } },
        { servicePeriodStart: { lt: nextDate }, servicePeriodEnd: { gt: startDate } },
      ],
    },
    include: {
      lines: { select: { debitMinor: true } },
      organization: { select: { name: true } },
      reverses: { select: { seq: true, effectiveDate: true } },
    },
    orderBy: { seq: 'asc' },
  })
  return later
    .filter((e) => e.lines.length)
    .map((e) => ({
      id: e.id,
      journalNo: journalNo(e.seq),
      date: day(e.effectiveDate),
      description: e.description,
      partner: e.organization.name,
      currency: e.currency,
      amountMinor: e.lines.reduce((s, l) => s + l.debitMinor, 0n).toString(),
      reason:
        e.reverses && e.reverses.effectiveDate >= startDate && e.reverses.effectiveDate < nextDate
          ? `reverses ${journalNo(e.reverses.seq)}`
          : `for the service period ${day(e.servicePeriodStart!)} to ${day(e.servicePeriodEnd!)}`,
    }))
}
