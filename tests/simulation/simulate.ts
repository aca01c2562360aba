import { jobHandlers } from '../../server/job-handlers.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { billedBeforeInPeriod } from '../../services/billing/period-billing.ts'
import { createHash } from 'node:crypto'
import { bootLocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import type { ContractTerms } from '../../services/rating/contract-terms.ts'
import { draftContract } from '../../services/contracts/draft-contract.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { closePeriod } from '../../services/royalties/close-period.ts'
import { recordPayment } from '../../services/ledger/record-payment.ts'
import { trialBalance } from '../../services/ledger/balances.ts'
import { platformQueue } from '../../services/platform/jobs/queue.ts'
import { relayOutboxOnce } from '../../services/platform/jobs/relay-outbox.ts'
import { startWorker } from '../../services/platform/jobs/start-worker.ts'
import { partnerStatement, statementCsv } from '../../services/royalties/partner-statement.ts'
import { receiveRoyaltyReport } from '../../services/royalties/receive-royalty-report.ts'
import { prepareReport } from '#services/royalties/prepare-report.ts'
import { tenantScope, systemScope } from '../../services/tenancy/tenant-guard.ts'

/**
 * A seeded simulation of a year of royalties for three partners: reports, restatements, late
 * reports, retries, payments, Stripe outages and two people closing the same month at once.
 * After every step it checks the invariants; at the end it prints each partner's statement, so two
 * runs with the same seed can be compared byte for byte. Run in its own database by the test.
 */
const seed = Number(process.argv[2] ?? 1)
// The simulated year is 2030; the platform lives early in 2031, when all of it has ended.
const SIMULATION_DAY = '2031-01-05T09:00:00Z'
travelTo(SIMULATION_DAY)
const steps = Number(process.argv[3] ?? 40)

function mulberry32(a: number) {
  return () => {
    a |= 0
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const rand = mulberry32(seed)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1))

const stripe = await bootLocalStripe({ webhookUrl: 'http://127.0.0.1:9/none' })
const worker = startWorker(jobHandlers, 2)
async function drain() {
  while ((await relayOutboxOnce(db(), platformQueue())) > 0);
  for (let i = 0; i < 400; i++) {
    const c = await platformQueue().getJobCounts('waiting', 'active', 'prioritized')
    if (Object.values(c).every((n) => n === 0)) return
    await new Promise((r) => setTimeout(r, 25))
  }
}

const term = { start: '2030-01-01', end: '2032-12-31', renewal: { kind: 'none' as const } }
const partnersTerms: ContractTerms[] = [
  hybridTerms({
    term,
    prepaidAdvance: { amount: '150000.00' },
    minimumGuarantee: { amount: '200000.00', period: 'quarter', carryForwardExcess: true },
  }),
  {
    ...hybridTerms({ term, baseFee: undefined, minimumGuarantee: undefined, revenueShare: { percent: '6.00' } }),
    perDeviceRoyalty: { ...hybridTerms().perDeviceRoyalty!, tiering: 'volume' },
  },
  hybridTerms({
    term,
    minimumGuarantee: { amount: '900000.00', period: 'year', carryForwardExcess: false },
    cap: { amount: '1500000.00' },
  }),
]
const ggml = await db().organization.create({ data: { id: newId(), slug: 'ggml', name: 'ggml.ai', kind: 'ggml' } })
const managerId = newId()
await db().user.create({ data: { id: managerId, email: 'pm@ggml.example', name: 'PM' } })
await db().membership.create({
  data: { id: newId(), userId: managerId, organizationId: ggml.id, role: 'partner_manager' },
})
const financeId = newId()
await db().user.create({ data: { id: financeId, email: 'finance@ggml.example', name: 'Finance' } })
await db().membership.create({ data: { id: newId(), userId: financeId, organizationId: ggml.id, role: 'finance' } })
const finance = await actorForUser(financeId)

const partners: {
  orgId: string
  contractId: string
  scope: Awaited<ReturnType<typeof tenantScope>>
  terms: ContractTerms
  reported: Set<string>
  payments: number
}[] = []
for (const [i, terms] of partnersTerms.entries()) {
  const orgId = newId()
  const userId = newId()
  await db().organization.create({
    data: { id: orgId, slug: `partner-${i}`, name: `Partner ${i}`, kind: 'oem_partner' },
  })
  await db().user.create({ data: { id: userId, email: `finance@partner${i}.example`, name: `Partner ${i} finance` } })
  await db().membership.create({ data: { id: newId(), userId, organizationId: orgId, role: 'partner_finance' } })
  const manager = await tenantScope(await actorForUser(managerId), { id: orgId }, 'contracts.draft')
  const { contract, version } = await draftContract(manager, {
    title: `Partner ${i} license`,
    kind: 'production_license',
    terms,
  })
  await db().contractVersion.update({
    where: { id: version.id },
    data: { state: 'signed', signedAt: new Date('2030-01-01') },
  })
  await db().contract.update({ where: { id: contract.id }, data: { status: 'active' } })
  partners.push({
    orgId,
    contractId: contract.id,
    scope: await tenantScope(await actorForUser(userId), { id: orgId }, 'royalties.report'),
    terms,
    reported: new Set<string>(),
    payments: 0,
  })
}

const months = Array.from({ length: 12 }, (_, i) => `2030-${String(i + 1).padStart(2, '0')}`)
const quarters = ['2030-Q1', '2030-Q2', '2030-Q3', '2030-Q4']
let closed = 0

async function file(p: (typeof partners)[number], period: string, restatement: boolean) {
  const prepared = await prepareReport(p.scope, p.contractId, period)
  const lines = ['Entry', 'Mainstream', 'Premium'].map((band, i) => ({
    device_model: `M${i}`,
    device_class: 'smartphone',
    price_band: band,
    region: pick(['EU', 'US']),
    units: int(0, 300_000),
    revenue: `${int(0, 900_000)}.00`,
  }))
  return receiveRoyaltyReport(
    p.scope,
    prepared,
    { lines },
    {
      source: 'api',
      restatement,
      idempotencyKey: `sim:${p.contractId}:${period}:${lines.map((l) => l.units).join('-')}`,
    },
  )
    .then((r) => (r.ok ? r.result : Promise.reject(new Error(JSON.stringify(r.issues)))))
    .catch((e: Error) => {
      // the simulated partner made a mistake the platform refused
      if (/overlaps|already reported|closed/.test(e.message)) return null
      throw e
    })
}

for (let step = 0; step < steps; step++) {
  const p = pick(partners)
  const action = pick(['report', 'report', 'report', 'restate', 'retry', 'pay', 'stripe-outage', 'close'] as const)
  if (action === 'report') {
    const period = rand() < 0.7 ? pick(quarters) : pick(months)
    if (await file(p, period, false)) p.reported.add(period)
  } else if (action === 'restate' && p.reported.size) {
    await file(p, pick([...p.reported].sort()), true)
  } else if (action === 'retry' && p.reported.size) {
    // A client retrying a report it already sent: the same content must change nothing.
    const last = await db().royaltyReport.findFirst({
      where: { contractId: p.contractId, status: 'current', source: 'api' },
      orderBy: { createdAt: 'desc' },
    })
    if (last) {
      const months =
        (last.periodEnd.getUTCFullYear() - last.periodStart.getUTCFullYear()) * 12 +
        last.periodEnd.getUTCMonth() -
        last.periodStart.getUTCMonth()
      const tag =
        months === 3
          ? `${last.periodStart.getUTCFullYear()}-Q${Math.floor(last.periodStart.getUTCMonth() / 3) + 1}`
          : last.periodStart.toISOString().slice(0, 7)
      const before = await db().journalEntry.count()
      const again = await receiveRoyaltyReport(
        p.scope,
        await prepareReport(p.scope, p.contractId, tag),
        {
          lines: (last.uploadId
            ? await db().royaltyReportLine.findMany({
                where: { uploadId: last.uploadId },
                orderBy: { lineNumber: 'asc' },
              })
            : []
          ).map((l) => ({
            device_model: l.deviceModel,
            device_class: l.deviceClass,
            price_band: l.priceBand,
            region: l.region,
            units: l.units,
            revenue: (Number(l.revenueMinor) / 100).toFixed(2),
          })),
        },
        { source: 'api' },
      )
      const r = again.ok ? again.result : { duplicate: false }
      if (!r.duplicate || (await db().journalEntry.count()) !== before)
        throw new Error(`step ${step}: a retried report posted again`)
    }
  } else if (action === 'pay') {
    await recordPayment(await systemScope(p.scope.organization.id), {
      reference: `sim-${partners.indexOf(p)}-${p.payments++}`,
      currency: 'USD',
      amountMinor: BigInt(int(1, 5_000_000)),
    })
  } else if (action === 'stripe-outage') {
    stripe.failNext(int(1, 2))
  } else if (action === 'close' && closed < 11) {
    const month = months[closed]!
    // Finance closes the month on 2031-06-01; everything else happens on the simulation's day.
    travelTo('2031-06-01')
    const results = await Promise.allSettled([closePeriod(finance, month), closePeriod(finance, month)])
    travelTo(SIMULATION_DAY)
    if (results.filter((r) => r.status === 'fulfilled').length !== 1)
      throw new Error(
        `closing ${month} twice at once did not succeed exactly once: ${JSON.stringify(results.map((r) => r.status))}`,
      )
    closed++
  }
  await drain()

  // Invariants after every step.
  for (const t of await trialBalance(db()))
    if (t.debitsMinor !== t.creditsMinor) throw new Error(`step ${step}: books out of balance`)
  // Each invoice bills its posting's receivable less what the period billed before; a posting that
  // lowers the period issues credit notes instead. So a period's invoices less its credit notes are
  // always what its latest posting says is owed.
  for (const inv of await db().invoice.findMany()) {
    const entry = await db().journalEntry.findUniqueOrThrow({ where: { id: inv.journalEntryId } })
    const lines = await db().journalLine.findMany({
      where: { entryId: inv.journalEntryId, account: { type: 'royalty_receivable' } },
    })
    const billedBeforeMinor = await billedBeforeInPeriod(db(), entry)
    if (lines.reduce((s, l) => s + l.debitMinor - l.creditMinor, 0n) - billedBeforeMinor !== inv.amountDueMinor)
      throw new Error(`step ${step}: invoice ${inv.id} differs from its entries`)
    if (!entry.reportId) continue
    const report = await db().royaltyReport.findUniqueOrThrow({ where: { id: entry.reportId } })
    const overlapping = await db().royaltyReport.findMany({
      where: {
        contractId: report.contractId,
        periodStart: { lt: report.periodEnd },
        periodEnd: { gt: report.periodStart },
      },
      select: { id: true },
    })
    const earlierEntries = await db().journalEntry.findMany({
      where: { kind: 'report_charges', reportId: { in: overlapping.map((r) => r.id) }, seq: { lt: entry.seq } },
      select: { id: true },
    })
    const earlier = await db().invoice.findMany({ where: { journalEntryId: { in: earlierEntries.map((e) => e.id) } } })
    const credited = await db().creditNote.aggregate({
      where: { journalEntryId: { in: earlierEntries.map((e) => e.id) } },
      _sum: { amountMinor: true },
    })
    const net = earlier.reduce((s, i) => s + i.amountDueMinor, 0n) - (credited._sum.amountMinor ?? 0n)
    if (net !== billedBeforeMinor)
      throw new Error(
        `step ${step}: invoice ${inv.id}: earlier invoices of ${entry.periodTag} do not add up to what the ` +
          `period billed before`,
      )
  }
  for (const q of partners) {
    if (!q.terms.prepaidAdvance) continue
    const recouped = await db().royaltyCharge.findMany({
      where: { kind: 'advance_recoupment', report: { contractId: q.contractId, status: 'current' } },
    })
    const current = await db().royaltyReport.findMany({
      where: { contractId: q.contractId, status: 'current' },
      select: { journalEntryId: true },
    })
    const total = recouped
      .filter((r) => current.some((c) => c.journalEntryId === r.journalEntryId))
      .reduce((s, r) => s - r.amountMinor, 0n)
    if (total > 15_000_000n) throw new Error(`step ${step}: recouped ${total} exceeds the advance`)
  }
}

await drain()
const out: string[] = []
for (const p of partners)
  out.push(
    statementCsv(
      await partnerStatement(
        p.scope,
        `${new Date().getUTCFullYear()}-Q${Math.floor(new Date().getUTCMonth() / 3) + 1}`,
      ),
    ),
  )
const text = out.join('\n')
console.log(
  JSON.stringify({
    sha256: createHash('sha256').update(text).digest('hex'),
    bytes: text.length,
    reports: await db().royaltyReport.count(),
    closed,
  }),
)
await worker.close()
await stripe.close()
process.exit(0)
