import { stripeWebhookSecret } from '../../services/billing/stripe-client.ts'
import { issueInvoiceForEntry } from '../../services/billing/issue-invoice.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalStripe, stripeSignature, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { accountBalances } from '../../services/ledger/balances.ts'
import { postJournalEntry } from '../../services/ledger/post-journal-entry.ts'
import { startAppServer } from '../support/app-server.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'
import { WaitingFor } from '../../services/platform/jobs/waiting-for.ts'
import { metrics } from '../../services/platform/observability/metrics.ts'
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
/** A counter's value for one job name, from this process's metrics (the worker of drainJobs runs here). */
const metricTotal = async (name: string, job: string) =>
  ((await metrics().registry.getSingleMetric(name)?.get())?.values ?? [])
    .filter((v) => v.labels.job === job)
    .reduce((sum, v) => sum + v.value, 0)
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
      'Payment attempt 1 failed: Your card was declined (insufficient funds).',
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
    'invoices what a restatement adds to a period, credits what a restatement takes off, and bills nothing when a ' +
      're-rating keeps the total',
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
      expect(all[2]).toEqual([
        expect.stringMatching(
          /^Supplementary invoice for 2027-Q1: Royalties 2027-Q1, .*, revision 2, less what was already invoiced$/,
        ),
        3_000_000n,
      ])
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

      // Restated down to 950,000 ($315,000): no new invoice; a $15,000 credit note against the newest open
      // invoice of the period (the supplementary one) lowers what is due there, so Stripe and the books agree.
      await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 950_000)], { restatement: true })
      await settle()
      expect(await invoicesFor()).toHaveLength(3)
      expect(await receivable(c.partner.id)).toBe(31_500_000n + 28_000_000n)
      const notes = await db().creditNote.findMany({ where: { organizationId: c.partner.id } })
      expect(notes.map((n) => [n.invoiceId, n.amountMinor, n.target])).toEqual([
        [supplementary.id, 1_500_000n, 'invoice'],
      ])
      expect(stripe.invoices.get(supplementary.stripeInvoiceId!)!.amount_due).toBe(1_500_000)
      const due = [...stripe.invoices.values()]
        .filter((i) => i.metadata.organizationId === c.partner.id && i.status === 'open')
        .reduce((s, i) => s + i.amount_due, 0)
      expect(BigInt(due)).toBe(await receivable(c.partner.id))
      // Running the job again credits nothing twice.
      const entry = await db().journalEntry.findFirstOrThrow({
        where: { organizationId: c.partner.id, kind: 'report_charges' },
        orderBy: { seq: 'desc' },
      })
      await issueInvoiceForEntry(entry.id)
      expect(await db().creditNote.count({ where: { organizationId: c.partner.id } })).toBe(1)
      expect(stripe.creditNotes.size).toBeGreaterThanOrEqual(1)
    },
  )

  it('a paid services invoice pays down the services receivable, not the royalties one (issue 30)', async () => {
    const c = await signedContractFor(terms())
    const posted = await db().$transaction((tx) =>
      postJournalEntry(tx, {
        organizationId: c.partner.id,
        currency: 'USD',
        idempotencyKey: `services-test:${c.partner.id}`,
        kind: 'services_invoice',
        description: 'Porting work, March',
        effectiveDate: '2027-03-31',
        lines: [
          { account: 'services_receivable', debitMinor: 500_000n, memo: 'Porting work: 25 h at $200.00/h' },
          { account: 'services_revenue', creditMinor: 500_000n, memo: 'Porting work: services' },
        ],
      }),
    )
    await issueInvoiceForEntry(posted.id)
    const invoice = await db().invoice.findUniqueOrThrow({ where: { journalEntryId: posted.id } })
    expect(invoice.amountDueMinor).toBe(500_000n)
    await fetch(`${stripe.apiBase}/i/${invoice.stripeInvoiceId}/pay`, { method: 'POST', redirect: 'manual' })
    await settle()
    const b = Object.fromEntries(
      (await accountBalances(db(), c.partner.id)).map((x) => [`${x.type}:${x.currency}`, x.balanceMinor]),
    )
    expect(b['services_receivable:USD']).toBe(0n)
    expect(b['cash:USD']).toBe(500_000n)
    expect(b['royalty_receivable:USD'] ?? 0n).toBe(0n)
  })

  it('a credit note whose invoice is still being issued waits for it, spending no attempt (issue 24)', async () => {
    const c = await signedContractFor(terms())
    // Q1 posts (its invoice job queued, not run); then a restatement lowers Q1 before that invoice exists.
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 1_000_000)]) // $330,000
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 950_000)], { restatement: true }) // $315,000
    const [first, lowered] = await db().journalEntry.findMany({
      where: { organizationId: c.partner.id, kind: 'report_charges' },
      orderBy: { seq: 'asc' },
    })
    // The credit's job, run now, waits for the invoice it credits rather than failing.
    await expect(issueInvoiceForEntry(lowered!.id)).rejects.toBeInstanceOf(WaitingFor)
    expect(await db().creditNote.count({ where: { organizationId: c.partner.id } })).toBe(0)
    // Through the worker, in whatever order it takes them: the invoice is issued, then the credit note, and
    // no attempt failed (a wait moves the job back to the queue, delayed, with its attempts untouched).
    const failedBefore = await metricTotal('jobs_failed_total', 'billing.issue-invoice')
    await drainJobs()
    for (let i = 0; i < 200; i++) {
      const done = await db().outboxMessage.count({
        where: {
          jobName: 'billing.issue-invoice',
          completedAt: null,
          payload: { path: ['journalEntryId'], equals: lowered!.id },
        },
      })
      if (done === 0) break
      await new Promise((r) => setTimeout(r, 100))
      await drainJobs()
    }
    await stripe.settled()
    expect(await db().invoice.count({ where: { journalEntryId: first!.id } })).toBe(1)
    const notes = await db().creditNote.findMany({ where: { organizationId: c.partner.id } })
    expect(notes.map((n) => n.amountMinor)).toEqual([1_500_000n]) // 50,000 units × $0.30
    expect(await metricTotal('jobs_failed_total', 'billing.issue-invoice')).toBe(failedBefore)
  })

  it('credits a paid invoice to the partner balance, which pays the next invoice; cash is booked once', async () => {
    const c = await signedContractFor(terms())
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 1_000_000)]) // $330,000
    await settle()
    const q1 = await db().invoice.findFirstOrThrow({ where: { organizationId: c.partner.id } })
    await fetch(`${stripe.apiBase}/i/${q1.stripeInvoiceId}/pay`, { method: 'POST', redirect: 'manual' })
    await settle()
    expect(await receivable(c.partner.id)).toBe(0n)

    // Q1 restated down by 100,000 units ($30,000) after it was paid: the credit goes to the balance.
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 900_000)], { restatement: true })
    await settle()
    const [note] = await db().creditNote.findMany({ where: { organizationId: c.partner.id } })
    expect(note).toMatchObject({ invoiceId: q1.id, amountMinor: 3_000_000n, target: 'customer_balance' })
    const customer = stripe.customers.get(q1.stripeCustomerId!)!
    expect(customer.balance).toBe(-3_000_000)
    expect(await receivable(c.partner.id)).toBe(-3_000_000n)

    // Q2 ($280,000) is paid $30,000 from the balance and $250,000 in cash: only the cash is a payment.
    await report(c.partnerScope, c.contract.id, '2027-Q2', [row('Entry', 300_000)])
    await settle()
    const q2 = await db().invoice.findFirstOrThrow({
      where: { organizationId: c.partner.id, description: { contains: '2027-Q2' } },
    })
    expect(stripe.invoices.get(q2.stripeInvoiceId!)!.amount_due).toBe(25_000_000)
    // Two payment attempts at once: the card is charged once, the payment booked once.
    await Promise.all(
      [0, 1].map(() => fetch(`${stripe.apiBase}/i/${q2.stripeInvoiceId}/pay`, { method: 'POST', redirect: 'manual' })),
    )
    await settle()
    expect(await db().invoice.findUniqueOrThrow({ where: { id: q2.id } })).toMatchObject({
      status: 'paid',
      amountPaidMinor: 25_000_000n,
      paidFromBalanceMinor: 3_000_000n,
    })
    expect(await receivable(c.partner.id)).toBe(0n)
    const payments = await db().journalEntry.findMany({ where: { organizationId: c.partner.id, kind: 'payment' } })
    expect(payments).toHaveLength(2)
  })

  it('splits an invoice larger than one Stripe amount into items, and asks for a bank transfer', async () => {
    const c = await signedContractFor(terms())
    // Entry 1,000,000 × $0.30 + 9,000,000 × $0.25 = $2,550,000, + $30,000 base.
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 10_000_000)])
    await settle()
    const invoice = await db().invoice.findFirstOrThrow({ where: { organizationId: c.partner.id } })
    expect(invoice.amountDueMinor).toBe(258_000_000n)
    const remote = stripe.invoices.get(invoice.stripeInvoiceId!)!
    expect(remote.amount_due).toBe(258_000_000)
    expect(remote.lines.data.map((l) => [l.description, l.amount])).toEqual([
      ['Royalties 2027-Q1 (part 1 of 3)', 99_999_999],
      ['Royalties 2027-Q1 (part 2 of 3)', 99_999_999],
      ['Royalties 2027-Q1 (part 3 of 3)', 55_000_002],
      ['Base license fee 2027-Q1', 3_000_000],
    ])
    expect(remote.payment_settings.payment_method_types).toEqual(['customer_balance'])
    const card = await fetch(`${stripe.apiBase}/i/${remote.id}/pay`, { method: 'POST', redirect: 'manual' })
    expect(card.status).toBe(400)
    const transfer = await fetch(`${stripe.apiBase}/i/${remote.id}/transfer`, { method: 'POST', redirect: 'manual' })
    expect(transfer.status).toBe(303)
    await settle()
    expect(await receivable(c.partner.id)).toBe(0n)
  })

  it('shows the partner its balance due, open invoices, an invoice with traces and credit notes, a PDF', async () => {
    const c = await signedContractFor(terms())
    // Q1 $300,000 (Entry 900,000 × $0.30 + $30,000 base), paid. Q2: 2,000,000 units, the year going
    // 900,000 → 2,900,000: 100,000 × $0.30 + 1,900,000 × $0.25 + $30,000 base = $535,000, open; restated to
    // 1,880,000 units (100,000 × $0.30 + 1,780,000 × $0.25 + $30,000 = $505,000): a $30,000 credit note.
    await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Entry', 900_000)])
    await settle()
    const q1 = await db().invoice.findFirstOrThrow({ where: { organizationId: c.partner.id } })
    await fetch(`${stripe.apiBase}/i/${q1.stripeInvoiceId}/pay`, { method: 'POST', redirect: 'manual' })
    await report(c.partnerScope, c.contract.id, '2027-Q2', [row('Entry', 2_000_000)])
    await settle()
    await report(c.partnerScope, c.contract.id, '2027-Q2', [row('Entry', 1_880_000)], { restatement: true })
    await settle()
    const q2 = await db().invoice.findFirstOrThrow({
      where: { organizationId: c.partner.id, description: { contains: '2027-Q2' } },
    })
    const http = new HttpClient(server.url)
    await http.signIn(c.partnerAdmin.email, c.partnerAdmin.password)
    const text = async (path: string) => (await (await http.get(path)).text()).replaceAll('<!-- -->', '')

    const home = await text(`/portal/${c.partner.slug}`)
    expect(home).toContain('Balance due (USD)')
    expect(home).toContain('$505,000.00')
    expect(home).toContain('Signed: active since 2027-01-01, until 2029-12-31')
    expect(home).toContain(q2.number!)

    const list = await text(`/portal/${c.partner.slug}/invoices`)
    expect(list).toContain('Outstanding (USD)')
    expect(list).toContain('$505,000.00')
    expect(list).toContain('credited $30,000.00')
    const paidOnly = await text(`/portal/${c.partner.slug}/invoices?status=paid&sort=bogus`)
    expect(paidOnly).toContain(q1.number!)
    expect(paidOnly).not.toContain(q2.number!)
    const searched = await text(`/portal/${c.partner.slug}/invoices?q=${encodeURIComponent(q2.number!)}`)
    expect(searched).toContain(q2.number!)
    expect(searched).not.toContain(q1.number!)

    const detail = await text(`/portal/${c.partner.slug}/invoices/${q2.id}`)
    expect(detail).toContain('Royalties 2027-Q2')
    expect(detail).toContain('Tier 1')
    expect(detail).toContain('Credit note')
    expect(detail).toContain('−$30,000.00')
    expect(detail).toContain('Left to pay')
    const paid = await text(`/portal/${c.partner.slug}/invoices/${q1.id}`)
    expect(paid).toContain('Paid 20')
    const pdf = await http.get(`/portal/${c.partner.slug}/invoices/${q2.id}/invoice.pdf`)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-')
    expect((await http.get(`/portal/${c.partner.slug}/invoices/not-an-invoice`)).status).toBe(404)
  })

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
