import { createHash } from 'node:crypto'
import { canonicalJson } from '../../certification-lab/signing.ts'
import type { Tx } from '../platform/db/client.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { now } from '../platform/clock.ts'
import { readStringList } from '../platform/db/json-column.ts'

const GENESIS = '0'.repeat(64)
const LOCK = 0x6a4d4c02

interface Entry {
  seq: bigint
  occurredAt: Date
  partner: string
  product: string
  jobId: string
  resultId: string
  accepted: boolean
  failedChecks: unknown
  payloadSha256: string
  prevHash: string
}

const entryHash = (e: Entry) =>
  createHash('sha256')
    .update(e.prevHash)
    .update(
      canonicalJson([
        e.seq.toString(),
        e.occurredAt.toISOString(),
        e.partner,
        e.product,
        e.jobId,
        e.resultId,
        e.accepted,
        e.failedChecks,
        e.payloadSha256,
        e.prevHash,
      ]),
    )
    .digest('hex')

/** Appends a submission to the public log in the caller's transaction, chained to the one before. */
export async function appendToPublicLog(
  tx: Tx,
  e: Omit<Entry, 'seq' | 'occurredAt' | 'prevHash' | 'failedChecks'> & { failedChecks: string[] },
): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${LOCK})`
  const last = await tx.certLogEntry.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } })
  const [{ seq }] = await tx.$queryRaw<
    [{ seq: bigint }]
  >`SELECT nextval(pg_get_serial_sequence('"CertLogEntry"', 'seq')) AS seq`
  const entry = { ...e, seq, occurredAt: now(), prevHash: last?.hash ?? GENESIS }
  await tx.certLogEntry.create({
    data: { ...entry, hash: entryHash(entry) },
  })
}

/**
 * A withdrawal is logged as an entry whose only failed check says so (the entry shape is hashed, so it stays as it is).
 */
const WITHDRAWN = 'withdrawn: '
export const withdrawalCheck = (reason: string) => `${WITHDRAWN}${reason}`
const outcomeOf = (accepted: boolean, failed: string[]) =>
  accepted ? 'accepted' : failed[0]?.startsWith(WITHDRAWN) ? failed[0] : `rejected: ${failed.join(', ')}`

export const payloadSha256 = (payload: unknown) => createHash('sha256').update(canonicalJson(payload)).digest('hex')

/** The whole public log, newest first, with whether the chain is intact. */
export async function publicLog(limit = 500) {
  const rows = await unscopedDb('public page').certLogEntry.findMany({ orderBy: { seq: 'asc' } })
  let prev = GENESIS
  let brokenAt: string | null = null
  for (const r of rows) {
    if (!brokenAt && (r.prevHash !== prev || entryHash(r) !== r.hash)) brokenAt = r.seq.toString()
    prev = r.hash
  }
  return {
    intact: brokenAt === null,
    brokenAt,
    head: prev,
    entries: rows
      .slice(-limit)
      .reverse()
      .map((r) => ({ ...r, failedChecks: readStringList(r.failedChecks) }))
      .map((r) => ({
        seq: r.seq.toString(),
        at: r.occurredAt.toISOString(),
        partner: r.partner,
        product: r.product,
        accepted: r.accepted,
        failedChecks: r.failedChecks,
        outcome: outcomeOf(r.accepted, r.failedChecks),
        payloadSha256: r.payloadSha256,
        hash: r.hash,
      })),
  }
}
