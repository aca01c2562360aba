import type { Tx } from '../platform/db/client.ts'
import type { JournalEntryKind, LedgerAccountType } from '../platform/db/generated/enums.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'

export interface PostingLine {
  account: LedgerAccountType
  debitMinor?: bigint
  creditMinor?: bigint
  memo: string
}

export interface Posting {
  organizationId: string
  currency: string
  /** Unique per partner: posting the same key again returns the entry already posted. */
  idempotencyKey: string
  kind: JournalEntryKind
  description: string
  effectiveDate: string
  periodTag?: string
  /** The period the entry is for (a report's period; a reversal keeps the one it reverses). */
  servicePeriod?: { start: string; end: string }
  /** Post the entry even with no non-zero line: a rating that charges nothing is still on record. */
  allowEmpty?: boolean
  reportId?: string
  reversesEntryId?: string
  createdById?: string
  lines: PostingLine[]
}

export type LedgerTx = Pick<Tx, 'ledgerAccount' | 'journalEntry' | 'journalLine' | '$executeRaw'>

const day = (d: Date) => d.toISOString().slice(0, 10)

/** The partner's book in one currency, created on first use. */
export async function accountIds(
  tx: LedgerTx,
  organizationId: string,
  currency: string,
  types: LedgerAccountType[],
): Promise<Map<LedgerAccountType, string>> {
  const wanted = [...new Set(types)]
  if (wanted.length === 0) return new Map()
  const find = () =>
    tx.ledgerAccount.findMany({
      where: { organizationId, currency, type: { in: wanted } },
      select: { id: true, type: true },
    })
  let found = await find()
  if (found.length < wanted.length) {
    // INSERT … ON CONFLICT: two postings at the same moment (two payments of one partner) may both be
    // the first to need the account; an upsert would make one of them fail on the unique key.
    for (const type of wanted.filter((t) => !found.some((a) => a.type === t)))
      await tx.$executeRaw`
        INSERT INTO "LedgerAccount" ("id", "organizationId", "currency", "type")
        VALUES (${newId()}, ${organizationId}, ${currency}, ${type}::"LedgerAccountType")
        ON CONFLICT ("organizationId", "currency", "type") DO NOTHING`
    found = await find()
  }
  return new Map(found.map((a) => [a.type, a.id]))
}

/**
 * Posts one balanced entry, or returns the one already posted under the same key. Zero lines are
 * dropped; the database checks the balance again at commit and refuses any later change.
 */
export async function postJournalEntry(tx: LedgerTx, p: Posting): Promise<{ id: string; created: boolean }> {
  const existing = await tx.journalEntry.findUnique({
    where: { organizationId_idempotencyKey: { organizationId: p.organizationId, idempotencyKey: p.idempotencyKey } },
    select: { id: true },
  })
  if (existing) return { id: existing.id, created: false }
  const lines = p.lines.filter((l) => (l.debitMinor ?? 0n) !== 0n || (l.creditMinor ?? 0n) !== 0n)
  for (const l of lines) {
    if (
      (l.debitMinor ?? 0n) < 0n ||
      (l.creditMinor ?? 0n) < 0n ||
      ((l.debitMinor ?? 0n) !== 0n && (l.creditMinor ?? 0n) !== 0n)
    ) {
      throw new AppError('invalid_input', `Ledger line “${l.memo}” must be a positive debit or a positive credit.`)
    }
  }
  const debits = lines.reduce((s, l) => s + (l.debitMinor ?? 0n), 0n)
  const credits = lines.reduce((s, l) => s + (l.creditMinor ?? 0n), 0n)
  if (debits !== credits)
    throw new AppError(
      'invalid_input',
      `Entry “${p.description}” does not balance: debits ${debits} ≠ credits ${credits}.`,
    )
  if (lines.length === 0 && !p.allowEmpty) return { id: '', created: false }
  const ids = await accountIds(
    tx,
    p.organizationId,
    p.currency,
    lines.map((l) => l.account),
  )
  const id = newId()
  await tx.journalEntry.create({
    data: {
      id,
      organizationId: p.organizationId,
      currency: p.currency,
      idempotencyKey: p.idempotencyKey,
      kind: p.kind,
      description: p.description,
      effectiveDate: new Date(`${p.effectiveDate}T00:00:00Z`),
      periodTag: p.periodTag,
      servicePeriodStart: p.servicePeriod ? new Date(`${p.servicePeriod.start}T00:00:00Z`) : null,
      servicePeriodEnd: p.servicePeriod ? new Date(`${p.servicePeriod.end}T00:00:00Z`) : null,
      reportId: p.reportId,
      reversesEntryId: p.reversesEntryId,
      createdById: p.createdById,
    },
  })
  await tx.journalLine.createMany({
    data: lines.map((l) => ({
      id: newId(),
      entryId: id,
      organizationId: p.organizationId,
      accountId: ids.get(l.account)!,
      debitMinor: l.debitMinor ?? 0n,
      creditMinor: l.creditMinor ?? 0n,
      memo: l.memo,
    })),
  })
  return { id, created: true }
}

/** A correction: the same lines with debit and credit swapped, dated when it is made. */
export async function reverseJournalEntry(
  tx: LedgerTx,
  entryId: string,
  opts: { idempotencyKey: string; effectiveDate: string; description: string; createdById?: string },
) {
  const entry = await tx.journalEntry.findUniqueOrThrow({
    where: { id: entryId },
    include: { lines: { include: { account: true } }, reversedBy: { select: { id: true } } },
  })
  if (entry.reversedBy) return { id: entry.reversedBy.id, created: false }
  return postJournalEntry(tx, {
    organizationId: entry.organizationId,
    currency: entry.currency,
    idempotencyKey: opts.idempotencyKey,
    kind: 'reversal',
    description: opts.description,
    effectiveDate: opts.effectiveDate,
    periodTag: entry.periodTag ?? undefined,
    servicePeriod:
      entry.servicePeriodStart && entry.servicePeriodEnd
        ? { start: day(entry.servicePeriodStart), end: day(entry.servicePeriodEnd) }
        : undefined,
    // An empty entry is reversed by an empty one, so every rating has its reversal on record.
    allowEmpty: entry.lines.length === 0,
    reportId: entry.reportId ?? undefined,
    reversesEntryId: entry.id,
    createdById: opts.createdById,
    lines: entry.lines.map((l) => ({
      account: l.account.type,
      debitMinor: l.creditMinor,
      creditMinor: l.debitMinor,
      memo: `Reversal: ${l.memo}`,
    })),
  })
}
