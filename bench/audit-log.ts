import { recordAuditEvent } from '../services/platform/audit/record-audit-event.ts'
import { verifyAuditChain } from '../services/platform/audit/verify-audit-chain.ts'
import { report, timed, withScratchDatabase } from './support.ts'

// What the hash chain costs: N mutations each audited in its own transaction (advisory lock, read
// of the previous hash, SHA-256, insert) against the same N rows inserted plainly, one transaction
// each, in the same run. Also: verification speed over the whole chain.
const N = Number(process.env.BENCH_N ?? 2000)

await withScratchDatabase(async (db) => {
  const changes = { before: { rate: 1 }, after: { rate: 2 } }
  const plain = await timed(async () => {
    for (let i = 0; i < N; i++) {
      await db.$transaction(
        (tx) =>
          tx.$executeRaw`INSERT INTO "AuditEvent"
            ("occurredAt","actorEmail","action","targetType","changes","prevHash","hash")
          VALUES (now(), 'bench@example.test', 'bench.plain', 'bench', ${JSON.stringify(changes)}::jsonb, '',
            ${`plain-${i}`})`,
      )
    }
  })
  await db.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"')
  await db.$executeRawUnsafe('DELETE FROM "AuditEvent"')
  await db.$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"')
  const chained = await timed(async () => {
    for (let i = 0; i < N; i++) {
      await db.$transaction((tx) =>
        recordAuditEvent(tx, {
          actor: { userId: 'u', email: 'bench@example.test' },
          organizationId: null,
          action: 'bench.chained',
          targetType: 'bench',
          changes,
        }),
      )
    }
  })
  let checked = 0
  const verify = await timed(async () => {
    checked = (await verifyAuditChain(db)).checked
  })
  report(
    `audit log, ${N} events (npm run bench -- audit-log)`,
    [
      { label: 'plain INSERT, one transaction each (baseline)', count: N, seconds: plain },
      { label: 'recordAuditEvent (locked, chained, hashed)', count: N, seconds: chained },
      { label: 'verifyAuditChain (re-hash every event)', count: checked, seconds: verify },
    ],
    'plain INSERT, one transaction each (baseline)',
  )
})
process.exit(0)
