import type { Db } from '../db/client.ts'
import { auditEventHash, GENESIS_HASH } from './audit-hash.ts'

export interface AuditChainReport {
  ok: boolean
  checked: number
  /** The first row where the chain breaks, and why. */
  problem?: { seq: string; reason: string }
}

// Re-hashes every row in order. An edited row no longer matches its hash; a deleted row leaves
// its successor pointing at a hash that is not the previous row's.
export async function verifyAuditChain(db: Db, batchSize = 1000): Promise<AuditChainReport> {
  let prevHash = GENESIS_HASH
  let checked = 0
  let after: bigint | undefined
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: after === undefined ? {} : { seq: { gt: after } },
      orderBy: { seq: 'asc' },
      take: batchSize,
    })
    if (rows.length === 0) return { ok: true, checked }
    for (const row of rows) {
      if (row.prevHash !== prevHash) {
        return {
          ok: false,
          checked,
          problem: {
            seq: row.seq.toString(),
            reason: 'links to a hash that is not the previous row’s: a row before it was deleted or changed',
          },
        }
      }
      if (auditEventHash(row) !== row.hash) {
        return {
          ok: false,
          checked,
          problem: { seq: row.seq.toString(), reason: 'its content no longer matches its hash: the row was edited' },
        }
      }
      prevHash = row.hash
      checked++
      after = row.seq
    }
  }
}
