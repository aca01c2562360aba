import { contractNumber } from '#services/contracts/contract-number.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { toCurrency } from '../kernel/money/currency.ts'
import { formatMoney, money } from '../kernel/money/money.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { periodOf } from './reporting-period.ts'
import { readStringList } from '../platform/db/json-column.ts'

const day = (d: Date) => d.toISOString().slice(0, 10)
const months = (r: { periodStart: Date; periodEnd: Date }) =>
  (r.periodEnd.getUTCFullYear() - r.periodStart.getUTCFullYear()) * 12 +
  r.periodEnd.getUTCMonth() -
  r.periodStart.getUTCMonth()

/** Contracts a partner can report on: signed ones. */
export async function reportableContracts(scope: TenantScope) {
  const contracts = await scope.db.contract.findMany({
    where: { versions: { some: { state: 'signed' } }, terminatedAt: null },
    orderBy: { createdAt: 'asc' },
  })
  return contracts.map((c) => ({ id: c.id, label: `${contractNumber(c.seq, c.createdAt)} ${c.title}` }))
}

export async function listReports(scope: TenantScope) {
  const reports = await scope.db.royaltyReport.findMany({
    orderBy: [{ periodStart: 'desc' }, { revision: 'desc' }],
    take: 200,
  })
  const [contracts, totals] = await Promise.all([
    scope.db.contract.findMany({
      where: { id: { in: [...new Set(reports.map((r) => r.contractId))] } },
    }),
    scope.db.royaltyCharge.groupBy({
      by: ['journalEntryId'],
      where: { journalEntryId: { in: reports.flatMap((r) => (r.journalEntryId ? [r.journalEntryId] : [])) } },
      _sum: { amountMinor: true },
    }),
  ])
  return reports.map((r) => {
    const c = contracts.find((x) => x.id === r.contractId)!
    const total = totals.find((t) => t.journalEntryId === r.journalEntryId)?._sum.amountMinor ?? 0n
    return {
      id: r.id,
      period: periodOf(day(r.periodStart), months(r)).tag,
      contract: contractNumber(c.seq, c.createdAt),
      revision: r.revision,
      status: r.status,
      lines: r.lineCount,
      units: r.unitsTotal.toString(),
      invoiced: r.status === 'current' ? formatMoney(money(total, toCurrency(r.currency))) : '',
      submittedAt: r.createdAt.toISOString(),
    }
  })
}

/** A report with its usage by band, its charges and their traces, and the postings they made. */
export async function getReportDetail(scope: TenantScope, reportId: string) {
  const r = await scope.db.royaltyReport.findUnique({ where: { id: reportId } })
  if (!r) throw new AppError('not_found', 'No such report, or you do not have access to it.')
  const contract = await scope.db.contract.findUniqueOrThrow({ where: { id: r.contractId } })
  const c = toCurrency(r.currency)
  const fmt = (minor: bigint) => formatMoney(money(minor, c))
  const [usage, charges, entries, revisions] = await Promise.all([
    r.uploadId
      ? scope.db.royaltyReportLine.groupBy({
          by: ['priceBand', 'deviceClass'],
          where: { uploadId: r.uploadId },
          _sum: { units: true, revenueMinor: true },
          _count: true,
        })
      : Promise.resolve([]),
    r.journalEntryId
      ? scope.db.royaltyCharge.findMany({ where: { journalEntryId: r.journalEntryId }, orderBy: { position: 'asc' } })
      : Promise.resolve([]),
    scope.db.journalEntry.findMany({
      where: { reportId },
      include: { lines: { include: { account: true } } },
      orderBy: { createdAt: 'asc' },
    }),
    scope.db.royaltyReport.findMany({
      where: { contractId: r.contractId, periodStart: r.periodStart },
      orderBy: { revision: 'asc' },
      select: { id: true, revision: true, status: true, createdAt: true, lineCount: true },
    }),
  ])
  return {
    id: r.id,
    period: periodOf(day(r.periodStart), months(r)).tag,
    contract: { id: contract.id, label: `${contractNumber(contract.seq, contract.createdAt)} ${contract.title}` },
    revision: r.revision,
    status: r.status,
    source: r.source,
    contentSha256: r.contentSha256,
    lineCount: r.lineCount,
    usage: usage.map((u) => ({
      band: u.priceBand || '—',
      deviceClass: u.deviceClass,
      lines: u._count,
      units: (u._sum.units ?? 0).toLocaleString('en-US'),
      revenue: fmt(u._sum.revenueMinor ?? 0n),
    })),
    charges: charges.map((ch) => ({
      kind: ch.kind,
      label: ch.label,
      amount: fmt(ch.amountMinor),
      trace: readStringList(ch.trace),
    })),
    total: fmt(charges.reduce((s, ch) => s + ch.amountMinor, 0n)),
    postings: entries.map((e) => ({
      id: e.id,
      kind: e.kind,
      description: e.description,
      effectiveDate: day(e.effectiveDate),
      lines: e.lines.map((l) => ({
        account: l.account.type.replaceAll('_', ' '),
        debit: l.debitMinor ? fmt(l.debitMinor) : '',
        credit: l.creditMinor ? fmt(l.creditMinor) : '',
        memo: l.memo,
      })),
    })),
    revisions: revisions.map((x) => ({
      id: x.id,
      revision: x.revision,
      status: x.status,
      at: x.createdAt.toISOString(),
      lines: x.lineCount,
    })),
  }
}
