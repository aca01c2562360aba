import { randomBytes } from 'node:crypto'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { hybridTerms } from '../services/contracts/sample-terms.ts'
import { draftContract } from '../services/contracts/draft-contract.ts'
import { db as globalDb } from '../services/db/client.ts'
import { newId } from '../services/db/ids.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { trialBalance } from '../services/ledger/balances.ts'
import { chunksOf } from '../services/royalties/parse-csv.ts'
import { stageRoyaltyReport } from '../services/royalties/stage-royalty-report.ts'
import { submitRoyaltyReport } from '../services/royalties/submit-royalty-report.ts'
import { prepareReport } from '#services/royalties/prepare-report.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'
import { report, timed, withScratchDatabase } from './support.ts'

// A million report lines across many partners: CSV bytes → streamed parse and validation → stored
// lines → rating → balanced postings, against a plain COPY of the same rows into a table of the
// same shape, in the same run on the same database. `BENCH_LINES` and `BENCH_PARTNERS` scale it.
const LINES = Number(process.env.BENCH_LINES ?? 1_000_000)
const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 20)
const perPartner = Math.ceil(LINES / PARTNERS)
const bands = ['Entry', 'Mainstream', 'Premium']
const classes = ['smartphone', 'laptop', 'edge gateway']
const regions = ['EU', 'US', 'APAC', 'LATAM']

function csvFor(p: number): string {
  const rows = ['device_model,device_class,price_band,asp,region,units,revenue']
  for (let i = 0; i < perPartner; i++)
    rows.push(`P${p}-M${i},${classes[i % 3]},${bands[i % 3]},,${regions[i % 4]},${(i * 7919) % 5000},`)
  return `${rows.join('\n')}\n`
}

await withScratchDatabase(async (_db, url) => {
  process.env.DATABASE_URL = url // services use the scratch database
  const db = globalDb()
  const contracts: { orgId: string; contractId: string; userId: string }[] = []
  for (let p = 0; p < PARTNERS; p++) {
    const orgId = newId()
    const userId = newId()
    await db.organization.create({
      data: {
        id: orgId,
        slug: `bench-${p}-${randomBytes(3).toString('hex')}`,
        name: `Bench Partner ${p}`,
        kind: 'oem_partner',
      },
    })
    await db.user.create({
      data: { id: userId, email: `bench-${p}-${randomBytes(3).toString('hex')}@example.test`, name: 'Bench' },
    })
    await db.membership.create({ data: { id: newId(), userId, organizationId: orgId, role: 'partner_admin' } })
    const ggml =
      (await db.organization.findFirst({ where: { kind: 'ggml' } })) ??
      (await db.organization.create({ data: { id: newId(), slug: 'ggml-bench', name: 'ggml', kind: 'ggml' } }))
    const managerId = newId()
    await db.user.create({
      data: { id: managerId, email: `pm-${p}-${randomBytes(3).toString('hex')}@example.test`, name: 'PM' },
    })
    await db.membership.create({
      data: { id: newId(), userId: managerId, organizationId: ggml.id, role: 'partner_manager' },
    })
    const scope = await tenantScope(await actorForUser(managerId), { id: orgId }, 'contracts.draft')
    const { contract, version } = await draftContract(scope, {
      title: 'Bench license',
      kind: 'production_license',
      terms: hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
    })
    await db.contractVersion.update({ where: { id: version.id }, data: { state: 'signed', signedAt: new Date() } })
    contracts.push({ orgId, contractId: contract.id, userId })
  }
  const files = contracts.map((_, p) => csvFor(p))
  const bytes = files.reduce((s, f) => s + Buffer.byteLength(f), 0)

  // Baseline: COPY the same rows (parsed by PostgreSQL itself) into a table shaped like RoyaltyReportLine.
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  // Same columns, primary key and indexes as the platform's table, so both pay for the same upkeep.
  await client.query('CREATE TABLE bench_copy_logged (LIKE "RoyaltyReportLine" INCLUDING ALL)')
  await client.query(
    'ALTER TABLE bench_copy_logged ALTER COLUMN "id" SET DEFAULT gen_random_uuid()::text, ALTER COLUMN ' +
      '"reportId" SET DEFAULT \'r\', ALTER COLUMN "organizationId" SET DEFAULT \'o\', ALTER COLUMN "lineNumber" ' +
      'SET DEFAULT 0',
  )
  const copy = await timed(async () => {
    for (const f of files) {
      const stream = client.query(
        copyFrom(
          'COPY bench_copy_logged ("deviceModel", "deviceClass", "priceBand", "region", "units", ' +
            '"revenueMinor") FROM STDIN WITH (FORMAT csv, HEADER true)',
        ),
      )
      // The CSV has an empty asp column and an empty revenue: drop asp, revenue → 0, as the platform stores them.
      await pipeline(Readable.from(f.replace(/^([^,\n]*,[^,\n]*,[^,\n]*),,([^,\n]*,[^,\n]*),$/gm, '$1,$2,0')), stream)
    }
  })
  await client.end()

  let posted = 0
  const phases = { validate: 0, post: 0 }
  const ours = await timed(async () => {
    for (const [p, c] of contracts.entries()) {
      const scope = await tenantScope(await actorForUser(c.userId), { id: c.orgId }, 'royalties.report')
      const prepared = await prepareReport(scope, c.contractId, '2027-Q1')
      const t0 = process.hrtime.bigint()
      const staged = await stageRoyaltyReport(scope, prepared, { csv: chunksOf(files[p]!) })
      if (!staged.ok) throw new Error(`bench data invalid: ${JSON.stringify(staged.issues.slice(0, 3))}`)
      const t1 = process.hrtime.bigint()
      await submitRoyaltyReport(scope, prepared, staged.staged, { source: 'csv' })
      phases.validate += Number(t1 - t0) / 1e9
      phases.post += Number(process.hrtime.bigint() - t1) / 1e9
      posted += staged.staged.summary.lineCount
    }
  })
  const balanced = (await trialBalance(db)).every((t) => t.debitsMinor === t.creditsMinor)
  report(
    `royalties: ${posted.toLocaleString('en-US')} report lines, ` +
      `${PARTNERS} partners, ${(bytes / 1e6).toFixed(1)} MB of CSV (npm run bench -- royalties)`,
    [
      { label: 'COPY of the same rows (baseline)', count: posted, seconds: copy },
      { label: 'platform: parse, validate, store, rate, post', count: posted, seconds: ours },
    ],
    'COPY of the same rows (baseline)',
  )
  console.log(
    `  of which parse and validate ${phases.validate.toFixed(2)} s, store, rate and post ` +
      `${phases.post.toFixed(2)} s; books balanced after the run: ${balanced}`,
  )
  await db.$disconnect()
})
process.exit(0)
