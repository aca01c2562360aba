import pg from 'pg'
import { runServicesInvoicing } from '../services/engagements/run-services-invoicing.ts'
import { resetClock, travelTo } from '../services/platform/clock.ts'
import { report, timed, withScratchDatabase } from './support.ts'

// The monthly invoice run over ENTRIES approved time entries across ENGAGEMENTS engagements (claim under
// row locks, group by role and rate, post, mark each entry, enqueue the Stripe invoice), against one
// SQL INSERT … SELECT of the same invoice lines (grouped by engagement, role and rate) in the same run.
const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 200_000)
const ENGAGEMENTS = Number(process.env.BENCH_ENGAGEMENTS ?? 100)

await withScratchDatabase(async (_db, url) => {
  process.env.DATABASE_URL = url
  const c = new pg.Client({ connectionString: url })
  await c.connect()
  // Fixtures in SQL: customers, a lead, engagements, one approved week per person and engagement.
  await c.query(`
    INSERT INTO "Organization" ("id", "slug", "name", "kind", "updatedAt")
      SELECT 'cust-' || g, 'cust-' || g, 'Customer ' || g, 'enterprise', now()
        FROM generate_series(1, ${ENGAGEMENTS}) g;
    INSERT INTO "User" ("id", "email", "name", "updatedAt") VALUES ('lead', 'lead@bench.example', 'Lead', now());
    INSERT INTO "User" ("id", "email", "name", "updatedAt")
      SELECT 'c-' || g, 'c' || g || '@bench.example', 'Consultant ' || g, now() FROM generate_series(1, 4) g;
    INSERT INTO "Engagement" ("id", "organizationId", "title", "type", "currency", "startsOn", "leadId",
                              "budgetMinutes", "budgetMinor", "status", "createdById")
      SELECT 'e-' || g, 'cust-' || g, 'Engagement ' || g, 'time_and_materials', 'USD', '2027-01-01', 'lead',
             10000000, 100000000000, 'active', 'lead' FROM generate_series(1, ${ENGAGEMENTS}) g;
    INSERT INTO "EngagementMember" ("engagementId", "userId", "rateRole", "costRateMinor")
      SELECT 'e-' || g, 'c-' || p, CASE WHEN p = 1 THEN 'principal_engineer' ELSE 'engineer' END, 9000
        FROM generate_series(1, ${ENGAGEMENTS}) g, generate_series(1, 4) p;
    INSERT INTO "Timesheet" ("id", "organizationId", "engagementId", "userId", "weekStart")
      SELECT 't-' || g || '-' || p || '-' || w, 'cust-' || g, 'e-' || g, 'c-' || p, DATE '2027-03-01' + 7 * w
        FROM generate_series(1, ${ENGAGEMENTS}) g, generate_series(1, 4) p, generate_series(0, 3) w;`)
  const perSheet = Math.ceil(ENTRIES / (ENGAGEMENTS * 16))
  await c.query(`
    INSERT INTO "TimeEntry" ("id", "organizationId", "timesheetId", "engagementId", "day", "minutes", "task",
                             "rateMinor", "amountMinor")
      SELECT 'x-' || g || '-' || p || '-' || w || '-' || n, 'cust-' || g, 't-' || g || '-' || p || '-' || w,
             'e-' || g, DATE '2027-03-01' + 7 * w + (n % 5), 30, 'task ' || n,
             CASE WHEN p = 1 THEN 40000 ELSE 25000 END, CASE WHEN p = 1 THEN 20000 ELSE 12500 END
        FROM generate_series(1, ${ENGAGEMENTS}) g, generate_series(1, 4) p, generate_series(0, 3) w,
             generate_series(1, ${perSheet}) n;
    UPDATE "Timesheet" SET "status" = 'submitted';
    UPDATE "Timesheet" SET "status" = 'approved';
    CREATE TABLE bench_invoice_lines AS SELECT NULL::text AS engagement, NULL::text AS role,
      NULL::bigint AS rate, NULL::bigint AS minutes, NULL::bigint AS amount WITH NO DATA;
    ANALYZE;`)
  const count = Number((await c.query('SELECT count(*) FROM "TimeEntry"')).rows[0].count)
  const baseline = await timed(async () => {
    await c.query(`
      INSERT INTO bench_invoice_lines
        SELECT t."engagementId", m."rateRole", t."rateMinor", SUM(t."minutes"), SUM(t."amountMinor")
          FROM "TimeEntry" t JOIN "Timesheet" s ON s."id" = t."timesheetId"
          JOIN "EngagementMember" m ON m."engagementId" = t."engagementId" AND m."userId" = s."userId"
         WHERE t."invoiceEntryId" IS NULL AND s."status" IN ('approved', 'locked') AND t."day" <= DATE '2027-03-31'
         GROUP BY 1, 2, 3`)
  })
  await c.end()
  travelTo('2027-04-02T06:00:00Z')
  let invoiced = 0
  const ours = await timed(async () => {
    invoiced = (await runServicesInvoicing({ month: '2027-03' })).invoiced.length
  })
  resetClock()
  report(
    `services: invoice run over ${count.toLocaleString('en-US')} approved entries, ${invoiced} engagements invoiced`,
    [
      { label: 'one INSERT … SELECT of the invoice lines (baseline)', count, seconds: baseline },
      { label: 'platform: claim, post, mark each entry, enqueue', count, seconds: ours },
    ],
    'one INSERT … SELECT of the invoice lines (baseline)',
  )
})
process.exit(0)
