import { spawnSync } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'
import { hybridTerms } from '../services/rating/sample-terms.ts'
import { draftContract } from '../services/contracts/draft-contract.ts'
import { db as globalDb } from '../services/platform/db/client.ts'
import { newId } from '../services/platform/db/ids.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { trialBalance } from '../services/ledger/balances.ts'
import { travelTo } from '../services/platform/clock.ts'
import { stageRoyaltyReport } from '../services/royalties/stage-royalty-report.ts'
import { submitRoyaltyReport } from '../services/royalties/submit-royalty-report.ts'
import { prepareReport } from '#services/royalties/prepare-report.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'
import { atMost, report, timed, withScratchDatabase } from './support.ts'

// Royalty reports from CSV bytes to balanced postings (streamed parse and validation → staged lines →
// stored lines → rating → posting), against a plain COPY of the same rows into a table of the same
// shape, in the same run on the same database; then the peak memory of one process taking one large
// report. `BENCH_LINES` (default "100000,1000000"), `BENCH_PARTNERS` (20) and `BENCH_MEMORY`
// ("1000000,150MB"; "none" to skip) and `BENCH_CONCURRENCY` ("1,4": reports at a time, for both) choose
// what runs.
const SIZES = (process.env.BENCH_LINES ?? '100000,1000000')
  .split(',')
  .filter((s) => s && s !== 'none')
  .map(Number)
const PARTNERS = Number(process.env.BENCH_PARTNERS ?? 20)
// One report at a time, and several at once as partners' systems send them.
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,4').split(',').map(Number)
const MEMORY = (process.env.BENCH_MEMORY ?? '1000000,150MB').split(',').filter((s) => s && s !== 'none')
const bands = ['Entry', 'Mainstream', 'Premium']
const classes = ['smartphone', 'laptop', 'edge gateway']
const regions = ['EU', 'US', 'APAC', 'LATAM']
const HEADER = 'device_model,device_class,price_band,asp,region,units,revenue\n'
const line = (p: number, i: number) =>
  `P${p}-M${i},${classes[i % 3]},${bands[i % 3]},,${regions[i % 4]},${(i * 7919) % 5000},\n`

// A report is for a quarter that has ended: the bench lives after 2027-Q1, through the one clock.
travelTo('2027-04-02T09:00:00Z')

async function partners(count: number) {
  const db = globalDb()
  const ggml =
    (await db.organization.findFirst({ where: { kind: 'ggml' } })) ??
    (await db.organization.create({ data: { id: newId(), slug: 'ggml-bench', name: 'ggml', kind: 'ggml' } }))
  const out: { orgId: string; contractId: string; userId: string }[] = []
  for (let p = 0; p < count; p++) {
    const tag = randomBytes(4).toString('hex')
    const orgId = newId()
    const userId = newId()
    const managerId = newId()
    await db.organization.create({
      data: { id: orgId, slug: `bench-${tag}`, name: `Bench ${tag}`, kind: 'oem_partner' },
    })
    await db.user.create({ data: { id: userId, email: `bench-${tag}@example.test`, name: 'Bench' } })
    await db.membership.create({ data: { id: newId(), userId, organizationId: orgId, role: 'partner_admin' } })
    await db.user.create({ data: { id: managerId, email: `pm-${tag}@example.test`, name: 'PM' } })
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
    out.push({ orgId, contractId: contract.id, userId })
  }
  return out
}

async function post(c: { orgId: string; contractId: string; userId: string }, csv: AsyncIterable<Uint8Array>) {
  const scope = await tenantScope(await actorForUser(c.userId), { id: c.orgId }, 'royalties.report')
  const prepared = await prepareReport(scope, c.contractId, '2027-Q1')
  const t0 = process.hrtime.bigint()
  const staged = await stageRoyaltyReport(scope, prepared, { csv, maxBytes: Number.MAX_SAFE_INTEGER })
  if (!staged.ok) throw new Error(`bench data invalid: ${JSON.stringify(staged.issues.slice(0, 3))}`)
  const t1 = process.hrtime.bigint()
  await submitRoyaltyReport(scope, prepared, staged.staged, { source: 'csv' })
  return {
    lines: staged.staged.summary.lineCount,
    validate: Number(t1 - t0) / 1e9,
    post: Number(process.hrtime.bigint() - t1) / 1e9,
  }
}

/** One partner's CSV, generated in 256 kB chunks: never held whole, whatever its size. */
async function* csvChunks(p: number, lines: number): AsyncGenerator<Uint8Array> {
  let buf = HEADER
  for (let i = 0; i < lines; i++) {
    buf += line(p, i)
    if (buf.length >= 256 * 1024) {
      yield Buffer.from(buf)
      buf = ''
    }
  }
  if (buf) yield Buffer.from(buf)
}

async function throughput(url: string, total: number, concurrency: number) {
  const perPartner = Math.ceil(total / PARTNERS)
  const contracts = await partners(PARTNERS)
  const files = contracts.map((_, p) => {
    let s = HEADER
    for (let i = 0; i < perPartner; i++) s += line(p, i)
    return s
  })
  const bytes = files.reduce((s, f) => s + Buffer.byteLength(f), 0)

  // Baseline: COPY the same rows (parsed by PostgreSQL itself) into a table shaped like
  // RoyaltyReportLine, with its primary key, as many at a time as the platform gets.
  const admin = new pg.Client({ connectionString: url })
  admin.on('error', () => {}) // the scratch database is dropped with FORCE at the end
  await admin.connect()
  const table = `bench_copy_${randomBytes(3).toString('hex')}`
  await admin.query(`CREATE TABLE ${table} (LIKE "RoyaltyReportLine" INCLUDING ALL)`)
  // Its key (upload, line number) is filled as the platform fills it: ids of the same length, line
  // numbers from a sequence.
  await admin.query(`CREATE SEQUENCE ${table}_line`)
  await admin.query(
    `ALTER TABLE ${table} ALTER COLUMN "uploadId" SET DEFAULT '${randomUUID()}', ` +
      `ALTER COLUMN "organizationId" SET DEFAULT '${randomUUID()}', ` +
      `ALTER COLUMN "lineNumber" SET DEFAULT nextval('${table}_line')`,
  )
  await admin.end()
  const clients = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const c = new pg.Client({ connectionString: url })
      c.on('error', () => {})
      await c.connect()
      return c
    }),
  )
  const free = [...clients]
  const copy = await timed(() =>
    atMost(concurrency, files, async (f) => {
      const client = free.pop()!
      const stream = client.query(
        copyFrom(
          `COPY ${table} ("deviceModel", "deviceClass", "priceBand", "region", "units", ` +
            '"revenueMinor") FROM STDIN WITH (FORMAT csv, HEADER true)',
        ),
      )
      // Drop the empty asp column; an empty revenue is stored as 0, as the platform stores it.
      await pipeline(Readable.from(f.replace(/^([^,\n]*,[^,\n]*,[^,\n]*),,([^,\n]*,[^,\n]*),$/gm, '$1,$2,0')), stream)
      free.push(client)
    }),
  )
  await Promise.all(clients.map((c) => c.end()))

  let posted = 0
  const phases = { validate: 0, post: 0 }
  const ours = await timed(() =>
    atMost(concurrency, contracts, async (c, p) => {
      const r = await post(
        c,
        (async function* () {
          for (let i = 0; i < files[p]!.length; i += 256 * 1024) yield Buffer.from(files[p]!.slice(i, i + 256 * 1024))
        })(),
      )
      phases.validate += r.validate
      phases.post += r.post
      posted += r.lines
    }),
  )
  const balanced = (await trialBalance(globalDb())).every((t) => t.debitsMinor === t.creditsMinor)
  report(
    `royalties: ${posted.toLocaleString('en-US')} report lines, ${PARTNERS} partners, ` +
      `${(bytes / 1e6).toFixed(1)} MB of CSV, ` +
      (concurrency === 1 ? 'one report at a time' : `${concurrency} at a time`),
    [
      { label: 'COPY of the same rows (baseline)', count: posted, seconds: copy },
      { label: 'platform: parse, validate, store, rate, post', count: posted, seconds: ours },
    ],
    'COPY of the same rows (baseline)',
  )
  console.log(
    `  per report: parse, validate and store ${((phases.validate / PARTNERS) * 1000).toFixed(0)} ms, ` +
      `rate and post ${((phases.post / PARTNERS) * 1000).toFixed(0)} ms; books balanced: ${balanced}`,
  )
}

/** In a fresh process: one report of `lines` lines (or of `mb` megabytes), and the peak RSS it took. */
async function memoryChild(spec: string) {
  const [c] = await partners(1)
  const mb = spec.endsWith('MB') ? Number(spec.slice(0, -2)) : 0
  const lines = mb ? Math.floor((mb * 1e6 - HEADER.length) / line(0, 1_000_000).length) : Number(spec)
  globalThis.gc?.()
  const before = process.memoryUsage().rss
  const r = await post(c!, csvChunks(0, lines))
  const peak = process.resourceUsage().maxRSS * 1024
  console.log(
    JSON.stringify({ spec, lines: r.lines, beforeMb: before / 1e6, peakMb: peak / 1e6, seconds: r.validate + r.post }),
  )
}

/**
 * Node flags of the memory runs. Uncapped, V8 grows its heap lazily (about 420 MB resident for either
 * report); capped at 160 MB the same reports post, which shows what they need. BENCH_HEAP_FLAGS= runs uncapped.
 */
const HEAP_FLAGS = (process.env.BENCH_HEAP_FLAGS ?? '--max-old-space-size=160').split(' ').filter(Boolean)
const child = process.argv[2] === '--memory' ? process.argv[3]! : null
// The child runs in the parent's scratch database (DATABASE_URL), which the parent drops.
if (child) {
  await memoryChild(child)
  process.exit(0)
}
await withScratchDatabase(async (_db, url) => {
  process.env.DATABASE_URL = url // services use the scratch database
  if (SIZES.length) {
    // One untimed report first, as a running server has had: compiled code, open pools.
    const [c] = await partners(1)
    await post(c!, csvChunks(0, 5_000))
  }
  for (const size of SIZES) for (const n of CONCURRENCY) await throughput(url, size, n)
  if (MEMORY.length)
    console.log(
      `\nroyalties: peak resident memory of one process taking one report (node ${HEAP_FLAGS.join(' ') || 'uncapped'})`,
    )
  for (const spec of MEMORY) {
    // A fresh process per report: its peak is that report's, not the throughput runs'.
    const args = [...HEAP_FLAGS, '--import', 'tsx', new URL(import.meta.url).pathname, '--memory', spec]
    const r = spawnSync(process.execPath, args, {
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    })
    const out = r.stdout.trim().split('\n').at(-1) ?? ''
    if (r.status !== 0 || !out.startsWith('{')) throw new Error(`memory run ${spec} failed: ${r.stderr}`)
    const m = JSON.parse(out) as { lines: number; beforeMb: number; peakMb: number; seconds: number }
    console.log(
      `  ${spec.padEnd(8)} ${m.lines.toLocaleString('en-US').padStart(10)} lines: peak RSS ${m.peakMb.toFixed(0)} MB ` +
        `(${m.beforeMb.toFixed(0)} MB before the report), ${m.seconds.toFixed(1)} s`,
    )
  }
})
process.exit(0)
