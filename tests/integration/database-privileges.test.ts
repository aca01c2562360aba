import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { APP_ROLE, appDatabaseUrl } from '../../services/platform/db/app-role.ts'
import { db } from '../../services/platform/db/client.ts'
import { assertMigrated, defaultMigrationsDir, migrate, readMigrations } from '../../services/platform/db/migrate.ts'
import { pgPool } from '../../services/platform/db/pg-pool.ts'
import { createEngagement } from '../../services/engagements/create-engagement.ts'
import { decideTimesheet } from '../../services/engagements/decide-timesheet.ts'
import { logWeek } from '../../services/engagements/log-week.ts'
import { setEngagementStatus } from '../../services/engagements/set-engagement-status.ts'
import { setRate } from '../../services/engagements/set-rate.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { resetClock, travelTo } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { startAttempt } from '../../services/training/start-attempt.ts'
import { submitAttempt } from '../../services/training/submit-attempt.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { examFixture, giveVoucher } from '../support/training.ts'
import { signOutsideThePlatform } from '../support/engagements.ts'

// Issue 24: the app's own connection cannot switch the database's guards off, and statuses that lock
// data move forward only, whoever asks (decision 020). Every statement below goes through the
// application's clients, as a bug or an injection in the app would.
const sql = (statement: string) => db().$executeRawUnsafe(statement)

const owner = new pg.Client({ connectionString: process.env.DATABASE_URL })
await owner.connect()
afterAll(() => owner.end())
afterEach(() => resetClock())

describe('the application’s database role', () => {
  it('is not a superuser and owns nothing; the migrations ran as the owner, who owns every table', async () => {
    const [me] = await db().$queryRaw<{ role: string; superuser: boolean; owned: number }[]>`
      SELECT current_user AS role, r.rolsuper AS superuser,
             (SELECT count(*)::int FROM pg_class c WHERE pg_has_role(current_user, c.relowner, 'MEMBER')
                AND c.relnamespace = 'public'::regnamespace) AS owned
        FROM pg_roles r WHERE r.rolname = current_user`
    expect(me).toEqual({ role: APP_ROLE, superuser: false, owned: 0 })
    // The COPY pool is the same role.
    expect((await pgPool().query('SELECT current_user AS role')).rows).toEqual([{ role: APP_ROLE }])

    const ownerName = (await owner.query('SELECT current_user AS name')).rows[0].name
    const owners = await owner.query(
      `SELECT DISTINCT tableowner AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    )
    expect(owners.rows).toEqual([{ name: ownerName }])
    const applied = await owner.query(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY 1',
    )
    expect(applied.rows.map((r) => r.migration_name)).toEqual((await readMigrations()).map((m) => m.name))
    // Of the migrations' own record the app reads which finished (to know it is not behind), nothing else.
    const names = await db().$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL',
    )
    expect(names.length).toBe(applied.rows.length)
    for (const statement of [
      'SELECT checksum FROM "_prisma_migrations"',
      'SELECT * FROM "_prisma_migrations"',
      `UPDATE "_prisma_migrations" SET finished_at = now()`,
      `DELETE FROM "_prisma_migrations"`,
    ])
      await expect(sql(statement)).rejects.toThrow(/Code: `42501`/)
  })

  it('a process with only the app role’s connection refuses to start while a migration is missing', async () => {
    const name = `behind_${Date.now()}`
    await owner.query(`CREATE DATABASE ${name}`)
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${name}`
    const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'))
    try {
      const all = await readMigrations()
      for (const m of all.slice(0, -1))
        cpSync(path.join(defaultMigrationsDir, m.name), path.join(dir, m.name), { recursive: true })
      await migrate(url.toString(), dir)
      const appUrl = appDatabaseUrl(url.toString())
      await expect(assertMigrated(appUrl)).rejects.toThrow(new RegExp(`not applied \\(${all.at(-1)!.name}\\)`))
      await migrate(url.toString())
      await expect(assertMigrated(appUrl)).resolves.toBeUndefined()
    } finally {
      rmSync(dir, { recursive: true, force: true })
      await owner.query(`DROP DATABASE ${name} WITH (FORCE)`)
    }
  }, 60_000)

  it('cannot switch a guard off, set replica mode, truncate, or create, alter and drop tables', async () => {
    // 42501 insufficient_privilege: "must be owner of table", "permission denied for …" (wording varies by version).
    const refused = (statement: string) => expect(sql(statement)).rejects.toThrow(/Code: `42501`/)
    await refused('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"')
    await refused('ALTER TABLE "Timesheet" DISABLE TRIGGER ALL')
    await refused('DROP TRIGGER "JournalLine_append_only" ON "JournalLine"')
    // Replacing a guard's function would switch it off as surely as disabling its trigger.
    await refused(`CREATE OR REPLACE FUNCTION "ledger_is_append_only"() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$
                   LANGUAGE plpgsql`)
    // Replica mode skips every ordinary trigger (and foreign key checks) for the session.
    await refused('SET session_replication_role = replica')
    // TRUNCATE fires no row trigger: it would empty an append-only ledger.
    await refused('TRUNCATE "JournalLine"')
    await refused('CREATE TABLE "Scratch" (id int)')
    await refused('DROP TABLE "AuditEvent"')
    await refused('ALTER TABLE "Timesheet" ADD COLUMN "note" text')
    await refused('ALTER ROLE CURRENT_USER SUPERUSER')
    const ownerName = (await owner.query('SELECT current_user AS name')).rows[0].name
    await refused(`SET ROLE ${pg.escapeIdentifier(ownerName)}`)
  })
})

describe('statuses that lock data move forward only, in the database', () => {
  it('a locked week cannot be set back to draft, deleted or edited in SQL', async () => {
    travelTo('2027-03-06T10:00:00Z')
    const ggml = await ggmlOrganization()
    const customer = await createOrganization('enterprise', unique('Locked Weeks'))
    const servicesLead = await actorForUser((await createUser(ggml.id, 'services_lead')).id)
    const lead = await createUser(ggml.id, 'consultant')
    const consultant = await createUser(ggml.id, 'consultant')
    const role = unique('eng').replace(/[^a-z]/g, '_')
    await setRate(servicesLead, { rateRole: role, currency: 'USD', rate: '200.00', effectiveFrom: '2027-01-01' })
    const { id: engagementId } = await createEngagement(servicesLead, {
      organizationId: customer.id,
      title: 'Locked weeks',
      type: 'time_and_materials',
      currency: 'USD',
      startsOn: '2027-03-01',
      endsOn: '2027-06-30',
      leadEmail: lead.email,
      budgetHours: 100,
      budget: '20000',
      team: `${consultant.email} ${role} 90.00\n${lead.email} ${role} 120.00`,
    })
    const scopeOf = async (userId: string, p: Parameters<typeof tenantScope>[2]) =>
      tenantScope(await actorForUser(userId), { id: customer.id }, p)
    const manage = await scopeOf(servicesLead.userId, 'services.manage')
    await signOutsideThePlatform(manage, engagementId)
    await setEngagementStatus(manage, { engagementId, to: 'active' })
    const mine = await scopeOf(consultant.id, 'time.log')
    const { timesheetId } = await logWeek(mine, {
      engagementId,
      weekStart: '2027-03-01',
      hours: ['8', '', '', '', '', '', ''],
      task: 'Kernels',
    })
    const leadScope = await scopeOf(lead.id, 'time.approve')
    await decideTimesheet(mine, { timesheetId, action: 'submit' })
    await decideTimesheet(leadScope, { timesheetId, action: 'approve' })
    const status = async () => (await db().timesheet.findUniqueOrThrow({ where: { id: timesheetId } })).status

    // Approved: not back to draft or submitted, and its time still cannot change.
    for (const back of ['draft', 'submitted'])
      await expect(sql(`UPDATE "Timesheet" SET status = '${back}' WHERE id = '${timesheetId}'`)).rejects.toThrow(
        `a timesheet cannot go from approved to ${back}`,
      )
    await decideTimesheet(leadScope, { timesheetId, action: 'lock' })
    expect(await status()).toBe('locked')

    // Locked and not yet invoiced: the finding's week. Back to draft (to edit its time) is refused.
    await expect(sql(`UPDATE "Timesheet" SET status = 'draft' WHERE id = '${timesheetId}'`)).rejects.toThrow(
      /a timesheet cannot go from locked to draft/,
    )
    await expect(
      db().timesheet.update({ where: { id: timesheetId }, data: { status: 'approved', lockedAt: null } }),
    ).rejects.toThrow(/a timesheet cannot go from locked to approved/)
    await expect(sql(`UPDATE "TimeEntry" SET minutes = 600 WHERE "timesheetId" = '${timesheetId}'`)).rejects.toThrow(
      /time of a locked timesheet cannot change/,
    )
    await expect(sql(`UPDATE "Timesheet" SET "weekStart" = '2027-03-08' WHERE id = '${timesheetId}'`)).rejects.toThrow(
      /keeps its person, engagement and week/,
    )
    await expect(sql(`DELETE FROM "Timesheet" WHERE id = '${timesheetId}'`)).rejects.toThrow(
      /a timesheet that is locked cannot be deleted/,
    )
    expect(await status()).toBe('locked')
  })

  it('a submitted exam attempt cannot be reopened or deleted, but a key correction may re-score it', async () => {
    const { exam } = await examFixture()
    const org = await createOrganization('learner', unique('Learner'))
    const user = await createUser(org.id, 'learner')
    const scope = await tenantScope(await actorForUser(user.id), { id: org.id }, 'training.learn')
    await giveVoucher(org.id, user.id, exam.id)
    const attempt = await startAttempt(scope, { examSlug: exam.slug })
    await submitAttempt(scope, { attemptId: attempt.id })

    await expect(sql(`UPDATE "ExamAttempt" SET status = 'active' WHERE id = '${attempt.id}'`)).rejects.toThrow(
      /stays as it was submitted/,
    )
    await expect(
      db().examAttempt.update({
        where: { id: attempt.id },
        data: { deadline: new Date(attempt.deadline.getTime() + 3_600_000) },
      }),
    ).rejects.toThrow(/stays as it was submitted/)
    await expect(sql(`DELETE FROM "ExamAttempt" WHERE id = '${attempt.id}'`)).rejects.toThrow(/cannot be deleted/)
    await db().examAttempt.update({ where: { id: attempt.id }, data: { correct: 1, percent: 25, passed: false } })
    expect(await db().examAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({
      status: 'submitted',
      correct: 1,
    })
  })
})
