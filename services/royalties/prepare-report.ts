import { contractNumber } from '../contracts/contract-number.ts'
import { type ContractTerms, readContractTerms } from '../rating/contract-terms.ts'
import type { TenantScope } from '../tenancy/tenant-guard.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { addDays } from '../kernel/calendar/months.ts'
import { todayUtc } from '../platform/clock.ts'
import { versionOnDay } from '../contracts/versions-in-force.ts'
import { currentTermEnd } from '../contracts/current-term-end.ts'
import { parsePeriod, type ReportingPeriod } from './reporting-period.ts'
import { day } from './submit-royalty-report.ts'

export interface PreparedReport {
  contractId: string
  contractLabel: string
  versionId: string
  terms: ContractTerms
  period: ReportingPeriod
  contractStart: string
}
/** Which terms a report for this contract and period is rated under, or why it cannot be filed. */
export async function prepareReport(
  scope: TenantScope,
  contractId: string,
  periodText: string,
): Promise<PreparedReport> {
  const contract = await scope.db.contract.findUnique({
    where: { id: contractId },
    include: { versions: { where: { state: 'signed' }, orderBy: { version: 'asc' } } },
  })
  if (!contract) throw new AppError('not_found', 'No such contract, or you do not have access to it.')
  const label = `${contractNumber(contract.seq, contract.createdAt)} ${contract.title}`
  if (!contract.versions.length) throw new AppError('conflict', `${label} is not signed yet: reports start once it is.`)
  const period = parsePeriod(periodText)
  if (!period)
    throw new AppError('invalid_input', 'Use a period like 2027-Q1 or 2027-03.', {
      period: ['Use a period like 2027-Q1 (quarter) or 2027-03 (month).'],
    })
  const refs = contract.versions.map((v) => ({
    id: v.id,
    version: v.version,
    effectiveFrom: day(v.effectiveFrom),
    state: v.state,
  }))
  const first = readContractTerms(contract.versions[0]!.terms)
  const contractStart = first.term.start
  // The period holding the start may be reported (it covers the days in force); one before it not.
  if (period.end <= contractStart)
    throw new AppError('invalid_input', `${label} starts on ${contractStart}; ${period.tag} is before it.`, {
      period: [`Report periods from the one holding ${contractStart} on.`],
    })
  // Only a period that has ended can be reported: its numbers are final and no guarantee is billed early.
  if (period.end > todayUtc()) {
    const lastDay = addDays(period.end, -1)
    throw new AppError('invalid_input', `${period.tag} ends on ${lastDay}; you can file it from ${period.end} on.`, {
      period: [`${period.tag} has not ended yet: file it from ${period.end} on.`],
    })
  }
  const inForceFrom = period.start > contractStart ? period.start : contractStart
  const versionId = versionOnDay(refs, inForceFrom)!
  const split = refs.find((v) => v.effectiveFrom > inForceFrom && v.effectiveFrom < period.end)
  if (split) {
    throw new AppError(
      'invalid_input',
      `Version ${split.version} of ${label} takes effect on ` +
        `${split.effectiveFrom}, inside ${period.tag}: report the months before and after it separately.`,
      { period: ['Report monthly across an amendment.'] },
    )
  }
  const terms = readContractTerms(contract.versions.find((v) => v.id === versionId)!.terms)
  const end = currentTermEnd(terms, period.start)
  if (contract.terminatedAt && day(contract.terminatedAt) <= period.start)
    throw new AppError('conflict', `${label} was terminated on ${day(contract.terminatedAt)}.`)
  if (end < period.start) throw new AppError('conflict', `${label} ended on ${end}; ${period.tag} is after it.`)
  return { contractId, contractLabel: label, versionId, terms, period, contractStart }
}
