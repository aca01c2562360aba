import { createHash } from 'node:crypto'
import { canonicalJson } from '../kernel/canonical-json.ts'
import type { ContractTerms } from '../rating/contract-terms.ts'

export const termsSha256 = (terms: ContractTerms): string =>
  createHash('sha256').update(canonicalJson(terms)).digest('hex')
