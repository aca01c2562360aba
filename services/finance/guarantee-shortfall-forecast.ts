import { addDays } from '../kernel/calendar/months.ts'
import { contractNumber } from '../contracts/contract-number.ts'
import { amountOf, contractTermsSchema } from '../rating/contract-terms.ts'
import { currentTermEnd } from '../contracts/current-term-end.ts'
import { versionOnDay } from '../contracts/versions-in-force.ts'
import type { Actor } from '../identity/actor.ts'
import { todayUtc } from '../platform/clock.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'
import { forecastGuaranteeYear, type GuaranteeYearForecast } from './guarantee-forecast.ts'

/** The charge kinds a guarantee counts: royalties after the cap, before recoupment (compute-charges.ts). */
export const EARNED_KINDS = ['royalty', 'volume_true_up', 'revenue_share', 'cap_reduction'] as const

export interface ContractGuaranteeForecast extends GuaranteeYearForecast {
  partner: string
  contract: string
  currency: string
}

const day = (d: Date) => d.toISOString().slice(0, 10)

/**
 * Every live contract with a minimum guarantee, forecast for its current contract year
 * (guarantee-forecast.ts), under the terms in force today. Three round trips whatever the number of
 * contracts: the contracts with their signed versions, their current reports, and what each report earned.
 */
export async function guaranteeShortfallForecasts(
  actor: Actor,
  today = todayUtc(),
): Promise<ContractGuaranteeForecast[]> {
  const { db } = allPartnersScope(actor, 'finance.view')
  const contracts = await db.contract.findMany({
    where: { status: { in: ['active', 'signed'] } },
    include: { organization: true, versions: { where: { state: 'signed' }, orderBy: { version: 'asc' } } },
    orderBy: { seq: 'asc' },
  })
  const withGuarantee = contracts.flatMap((c) => {
    if (!c.versions.length) return []
    const refs = c.versions.map((v) => ({
      id: v.id,
      version: v.version,
      effectiveFrom: day(v.effectiveFrom),
      state: v.state,
    }))
    const inForceId = versionOnDay(refs, today) ?? c.versions.at(-1)!.id
    const terms = contractTermsSchema.parse(c.versions.find((v) => v.id === inForceId)!.terms)
    const start = contractTermsSchema.parse(c.versions[0]!.terms).term.start
    return terms.minimumGuarantee ? [{ c, terms, mg: terms.minimumGuarantee, start }] : []
  })
  if (!withGuarantee.length) return []
  const reports = await db.royaltyReport.findMany({
    where: { contractId: { in: withGuarantee.map((g) => g.c.id) }, status: 'current' },
    select: { contractId: true, periodStart: true, periodEnd: true, journalEntryId: true },
  })
  const earned = await db.royaltyCharge.groupBy({
    by: ['journalEntryId'],
    where: {
      journalEntryId: { in: reports.flatMap((r) => (r.journalEntryId ? [r.journalEntryId] : [])) },
      kind: { in: [...EARNED_KINDS] },
    },
    _sum: { amountMinor: true },
  })
  const earnedBy = new Map(earned.map((e) => [e.journalEntryId, e._sum.amountMinor ?? 0n]))
  return withGuarantee.map(({ c, terms, mg, start }) => {
    const termEnd = currentTermEnd(terms, today)
    const lastDay = c.terminatedAt ? addDays(day(c.terminatedAt), -1) : termEnd
    return {
      partner: c.organization.name,
      contract: contractNumber(c.seq, c.createdAt),
      currency: terms.currency,
      ...forecastGuaranteeYear({
        contractStart: start,
        inForce: { start, end: lastDay < termEnd ? lastDay : termEnd },
        guaranteeMinor: amountOf(terms, mg.amount),
        period: mg.period,
        today,
        reports: reports
          .filter((r) => r.contractId === c.id)
          .map((r) => ({
            periodStart: day(r.periodStart),
            periodEnd: day(r.periodEnd),
            earnedMinor: (r.journalEntryId && earnedBy.get(r.journalEntryId)) || 0n,
          })),
      }),
    }
  })
}
