import { spawnSync } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { recordAuditEvent } from '../../services/platform/audit/record-audit-event.ts'
import { verifyAuditChain } from '../../services/platform/audit/verify-audit-chain.ts'
import { appDatabaseUrl } from '../../services/platform/db/app-role.ts'
import { createDb, type Db } from '../../services/platform/db/client.ts'
import { migrate } from '../../services/platform/db/migrate.ts'
import { createEmptyDatabase } from '../support/databases.ts'

// Each test gets a database of its own with five events: these tests tamper with the log on purpose.
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
})

async function freshChain(): Promise<{ db: Db; url: string }> {
  const database = await createEmptyDatabase()
  await migrate(database.url)
  const db = createDb(appDatabaseUrl(database.url))
  cleanups.push(async () => {
    await db.$disconnect()
    await database.drop()
  })
  for (let i = 0; i < 5; i++) {
    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        actor: { userId: `u${i}`, email: `person${i}@example.test` },
        organizationId: 'org-1',
        action: 'contract.update',
        targetType: 'contract',
        targetId: `c${i}`,
        changes: { before: { rate: i }, after: { rate: i + 1, note: 'ünïcode, "quotes"' } },
      }),
    )
  }
  return { db, url: database.url }
}

const auditVerify = (url: string) =>
  spawnSync('npx', ['tsx', 'scripts/audit-verify.ts'], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
    encoding: 'utf8',
  })

/**
 * Tampering as someone with owner rights would (the app's role cannot): switch the append-only trigger
 * off, then edit.
 */
async function tamper(url: string, sql: string) {
  const owner = createDb(url)
  try {
    await owner.$transaction([
      owner.$executeRawUnsafe('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"'),
      owner.$executeRawUnsafe(sql),
      owner.$executeRawUnsafe('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"'),
    ])
  } finally {
    await owner.$disconnect()
  }
}

describe('the audit log', () => {
  it('chains every event to the one before, and `npm run audit:verify` says it is intact', async () => {
    const { db, url } = await freshChain()
    expect(await verifyAuditChain(db)).toEqual({ ok: true, checked: 5 })
    const cli = auditVerify(url)
    expect(cli.stdout).toContain('Audit log intact: 5 events verified.')
    expect(cli.status).toBe(0)
  })

  it('refuses UPDATE and DELETE at the database', async () => {
    const { db } = await freshChain()
    await expect(db.$executeRawUnsafe(`UPDATE "AuditEvent" SET action = 'x'`)).rejects.toThrow(/append-only/)
    await expect(db.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/)
  })

  it('detects an edited row and names it, even when the trigger was bypassed', async () => {
    const { db, url } = await freshChain()
    const rows = await db.auditEvent.findMany({ orderBy: { seq: 'asc' } })
    await tamper(url, `UPDATE "AuditEvent" SET changes = '{"after":{"rate":999}}' WHERE seq = ${rows[1]!.seq}`)
    const report = await verifyAuditChain(db)
    expect(report).toEqual({
      ok: false,
      checked: 1,
      problem: { seq: rows[1]!.seq.toString(), reason: expect.stringMatching(/edited/) },
    })
    const cli = auditVerify(url)
    expect(cli.stderr).toContain(`Audit log TAMPERED at event #${rows[1]!.seq}`)
    expect(cli.status).toBe(1)
  })

  it('detects a deleted row by the broken link of the row after it', async () => {
    const { db, url } = await freshChain()
    const rows = await db.auditEvent.findMany({ orderBy: { seq: 'asc' } })
    await tamper(url, `DELETE FROM "AuditEvent" WHERE seq = ${rows[2]!.seq}`)
    const report = await verifyAuditChain(db)
    expect(report).toEqual({
      ok: false,
      checked: 2,
      problem: { seq: rows[3]!.seq.toString(), reason: expect.stringMatching(/deleted/) },
    })
  })
})
