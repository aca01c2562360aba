import { db } from '../../services/platform/db/client.ts'
import { draftContract } from '../../services/contracts/draft-contract.ts'
import type { ContractTerms } from '../../services/rating/contract-terms.ts'
import { accountBalances } from '../../services/ledger/balances.ts'
import type { RawLine } from '../../services/royalties/report-lines.ts'
import { receiveRoyaltyReport } from '../../services/royalties/receive-royalty-report.ts'
import type { SubmitMeta } from '../../services/royalties/submit-royalty-report.ts'
import { prepareReport } from '#services/royalties/prepare-report.ts'
import type { TenantScope } from '../../services/tenancy/tenant-guard.ts'
import { contractCast, scopeFor } from './contracts.ts'

/** A partner with a signed contract on the given terms (signed directly: the ledger does not care how). */
export async function signedContractFor(terms: ContractTerms) {
  const cast = await contractCast()
  const manager = await scopeFor(cast.manager.id, cast.partner.id, 'contracts.draft')
  const { contract, version } = await draftContract(manager, {
    title: 'Ledger test license',
    kind: 'production_license',
    terms,
  })
  await db().contractVersion.update({ where: { id: version.id }, data: { state: 'signed', signedAt: new Date() } })
  await db().contract.update({ where: { id: contract.id }, data: { status: 'active' } })
  const partnerScope = await scopeFor(cast.partnerAdmin.id, cast.partner.id, 'contracts.view')
  return { ...cast, contract, version, partnerScope }
}

/** Validates raw lines as the CSV and API paths do, then submits. */
export async function report(
  scope: TenantScope,
  contractId: string,
  period: string,
  rows: RawLine[],
  meta: Partial<SubmitMeta> = {},
) {
  const prepared = await prepareReport(scope, contractId, period)
  const received = await receiveRoyaltyReport(scope, prepared, { lines: rows }, { source: 'api', ...meta })
  if (!received.ok) throw new Error(`invalid lines: ${JSON.stringify(received.issues)}`)
  return received.result
}

export async function receivable(organizationId: string): Promise<bigint> {
  return (await accountBalances(db(), organizationId))
    .filter((b) => b.type === 'royalty_receivable')
    .reduce((s, b) => s + b.balanceMinor, 0n)
}

export const row = (band: string, units: number, extra: Partial<RawLine> = {}): RawLine => ({
  device_model: `Model-${band}`,
  device_class: 'smartphone',
  price_band: band,
  region: 'EU',
  units,
  ...extra,
})

/** A where clause for the lines of a contract's reports (lines reach a report through its upload). */
export async function linesOfContract(contractId: string) {
  const reports = await db().royaltyReport.findMany({ where: { contractId }, select: { uploadId: true } })
  return { uploadId: { in: reports.flatMap((r) => (r.uploadId ? [r.uploadId] : [])) } }
}
