import { stripeWebhookSecret } from '../../services/billing/stripe-client.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalStripe, stripeSignature, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { hybridTerms } from '../../services/contracts/sample-terms.ts'
import { db } from '../../services/db/client.ts'
import { startAppServer } from '../support/app-server.ts'
import { drainJobs } from '../support/jobs.ts'
import { receivable, report, row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// The reports these tests file are of 2027 and 2028: the platform lives after them.
livingAt()

let server: Awaited<ReturnType<typeof startAppServer>>
let stripe: LocalStripe
beforeAll(async () => {
  server = await startAppServer()
  stripe = await bootLocalStripe({ webhookUrl: `${server.url}/webhooks/stripe` })
})
afterAll(async () => {
  await stripe.close()
  await server.close()
})

const terms = () => hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } })
const settle = async () => {
  await drainJobs()
  await stripe.settled()
  await drainJobs()
}

describe('invoices through Stripe', () => {
  it('invoices a report once even when Stripe fails mid-way, and books the payment once', async () => {
    const c = await signedContractFor(terms())
    // Premium 1,000 × $1.20 = $1,200; shortfall $248,800; base fee $30,000 → $280,000.
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)])
    stripe.failNext(2) // the SDK retries with the same idempotency keys
    await settle()
    const invoice = await db().invoice.findFirstOrThrow({ where: { organizationId: c.partner.id } })
    expect(invoice).toMatchObject({ status: 'open', amountDueMinor: 28_000_000n })
    const remote = stripe.invoices.get(invoice.stripeInvoiceId!)!
    expect(remote.amount_due).toBe(28_000_000)
    expect(remote.lines.data.map((l) => l.description)).toEqual([
      'Royalties 2027-Q1',
      'Base license fee 2027-Q1',
      'Minimum-guarantee shortfall 2027-Q1',
    ])
    expect([...stripe.invoices.values()].filter((i) => i.metadata.organizationId === c.partner.id)).toHaveLength(1)

    // A declined card is noted; then the partner pays on the hosted page.
    await fetch(`${stripe.apiBase}/i/${remote.id}/fail`, { method: 'POST', redirect: 'manual' })
    await settle()
    expect((await db().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).lastFailure).toBe(
      'Payment attempt 1 failed',
    )
    await fetch(`${stripe.apiBase}/i/${remote.id}/pay`, { method: 'POST', redirect: 'manual' })
    await settle()
    expect(await db().invoice.findUniqueOrThrow({ where: { id: invoice.id } })).toMatchObject({
      status: 'paid',
      amountPaidMinor: 28_000_000n,
    })
    expect(await receivable(c.partner.id)).toBe(0n)

    // The same event again, and a late 'finalized' one: nothing changes twice.
    const paidEvent = JSON.stringify({
      id: 'evt_replayed',
      object: 'event',
      type: 'invoice.paid',
      data: { object: { ...remote } },
    })
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${server.url}/webhooks/stripe`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Stripe-Signature': stripeSignature(stripeWebhookSecret(), paidEvent),
        },
        body: paidEvent,
      })
      expect(res.status).toBe(200)
    }
    await settle()
    expect(await db().journalEntry.count({ where: { organizationId: c.partner.id, kind: 'payment' } })).toBe(1)
    expect(await receivable(c.partner.id)).toBe(0n)
  })

  it(
    'invoices what a restatement adds to a period, and nothing when it lowers it or a re-rating keeps ' + 'the total',
    async () => {
      const c = await signedContractFor(terms())
      // In posting order: invoice jobs run concurrently, so creation order is not posting order.
      const invoicesFor = async () => {
        const invoices = await db().invoice.findMany({ where: { organizationId: c.partner.id } })
        const seq = new Map(
          (await db().journalEntry.findMany({ where: { id: { in: invoices.map((i) => i.journalEntryId) } } })).map(
            (e) => [e.id, e.seq],
          ),
        )
        return invoices
          .sort((a, b) => Number(seq.get(a.journalEntryId)! - seq.get(b.journalEntryId)!))
          .map((i) => [i.description, i.amountDueMinor])
      }
      // Q1: Entry 900,000 × $0.30 + $30,000 base = $300,000. Q2: $80,000 + $170,000 shortfall + $30,000 base =
      // $280,000.
      await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 900_000)])
      await report(c.partnerScope, c.contract.id, '2027-Q2', [row('Entry', 300_000)])
      await settle()
      expect(await invoicesFor()).toEqual([
        [expect.stringContaining('2027-Q1'), 30_000_000n],
        [expect.stringContaining('2027-Q2'), 28_000_000n],
      ])

      // Q1 restated to 1,000,000 units: $330,000, so $30,000 more is billed. Q2 is re-rated to a new
      // split with the same $280,000 total: nothing more to bill.
      await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 1_000_000)], { restatement: true })
      await settle()
      const all = await invoicesFor()
      expect(all).toHaveLength(3)
      expect(all[2]).toEqual([expect.stringContaining('2027-Q1'), 3_000_000n])
      const supplementary = await db().invoice.findFirstOrThrow({
        where: { organizationId: c.partner.id, description: all[2]![0] as string },
      })
      const remote = stripe.invoices.get(supplementary.stripeInvoiceId!)!
      expect(remote.amount_due).toBe(3_000_000)
      expect(remote.lines.data.map((l) => [l.description, l.amount])).toEqual([
        ['Royalties 2027-Q1', 30_000_000],
        ['Base license fee 2027-Q1', 3_000_000],
        ['Less: already invoiced for 2027-Q1', -30_000_000],
      ])

      // Restated down to 950,000 ($315,000): billed stays at $330,000; the $15,000 shows as the partner's credit in the
      // books.
      await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 950_000)], { restatement: true })
      await settle()
      expect(await invoicesFor()).toHaveLength(3)
      expect(await receivable(c.partner.id)).toBe(31_500_000n + 28_000_000n)
    },
  )

  it('refuses a forged or unsigned webhook', async () => {
    const body = JSON.stringify({
      id: 'evt_forged',
      object: 'event',
      type: 'invoice.paid',
      data: { object: { object: 'invoice', id: 'in_x' } },
    })
    expect(
      (
        await fetch(`${server.url}/webhooks/stripe`, {
          method: 'POST',
          headers: { 'Stripe-Signature': stripeSignature('whsec_wrong', body) },
          body,
        })
      ).status,
    ).toBe(400)
    expect((await fetch(`${server.url}/webhooks/stripe`, { method: 'POST', body })).status).toBe(400)
    expect(await db().stripeWebhookEvent.count({ where: { id: 'evt_forged' } })).toBe(0)
  })

  it('invoices a prepaid advance with the first report', async () => {
    const c = await signedContractFor({
      ...terms(),
      baseFee: undefined,
      minimumGuarantee: undefined,
      prepaidAdvance: { amount: '50000.00' },
    })
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)])
    await settle()
    const invoices = await db().invoice.findMany({ where: { organizationId: c.partner.id } })
    // The advance ($50,000); the Q1 royalties ($1,200) are all recouped, so nothing else is billed.
    expect(invoices.map((i) => i.amountDueMinor)).toEqual([5_000_000n])
  })
})
