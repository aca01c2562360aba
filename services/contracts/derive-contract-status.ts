import type { ContractStatus, ContractVersionState } from '../platform/db/generated/enums.ts'
import { currentTermEnd } from './current-term-end.ts'
import { readContractTerms } from '../rating/contract-terms.ts'

export interface VersionLike {
  state: ContractVersionState
  terms: unknown
  version: number
}
/**
 * The agreement's status from its versions and the date: before any signature it follows the
 * newest version through approval and signing; once signed, the dates decide (automatic renewals
 * extend the term), and termination is final.
 */
export function deriveContractStatus(
  contract: { terminatedAt: Date | null },
  versions: VersionLike[],
  today: string,
): ContractStatus {
  if (contract.terminatedAt) return 'terminated'
  const signed = versions.filter((v) => v.state === 'signed').sort((a, b) => b.version - a.version)
  if (!signed.length) {
    const newest = [...versions].sort((a, b) => b.version - a.version)[0]
    return newest?.state ?? 'draft'
  }
  const terms = readContractTerms(signed[0]!.terms)
  const start = signed.map((v) => readContractTerms(v.terms).term.start).sort()[0]!
  if (today < start) return 'signed'
  return today <= currentTermEnd(terms, today) ? 'active' : 'expired'
}
