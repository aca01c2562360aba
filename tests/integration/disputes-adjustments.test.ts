import { travelTo } from '../../services/platform/clock.ts'
import { describe, expect, it } from 'vitest'
import { resolveDispute } from '#services/billing/resolve-dispute.ts'
import { addDisputeMessage } from '#services/billing/add-dispute-message.ts'
import { openDispute } from '#services/billing/open-dispute.ts'
import { runDunning } from '../../services/billing/dunning.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { decideAdjustment } from '#services/ledger/decide-adjustment.ts'
import { requestAdjustment } from '#services/ledger/request-adjustment.ts'
import { postJournalEntry } from '../../services/ledger/post-journal-entry.ts'
import { listInvoices } from '../../services/billing/list-invoices.ts'
import { scopeFor } from '../support/contracts.ts'
import { createUser, ggmlOrganization } from '../support/fixtures.ts'
import { receivable, report, row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// The reports these tests file are of 2027 and 2028: the platform lives after them.
livingAt()

async function partnerWithInvoice() {
  const c = await signedContractFor(
    hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
  )
  await report(c.partnerScope, c.contract.id, '2027-Q1', [row('Premium', 1000)]) // $280,000 receivable
  const entry = await db().journalEntry.findFirstOrThrow({
    where: { organizationId: c.partner.id, kind: 'report_charges' },
  })
  // The invoice as the billing job records it (Stripe itself is exercised in billing.test.ts).
  const invoice = await db().invoice.upsert({
    where: { journalEntryId: entry.id },
    create: {
      id: newId(),
      organizationId: c.partner.id,
      journalEntryId: entry.id,
      currency: 'USD',
      description: 'Royalties 2027-Q1',
      lines: [],
      amountDueMinor: 28_000_000n,
      status: 'open',
      number: 'T-1',
      dueDate: new Date('2026-10-01'),
    },
    update: { status: 'open', dueDate: new Date('2026-10-01'), number: 'T-1' },
  })
  const ggml = (await ggmlOrganization()).id
  const [f1, f2] = [await createUser(ggml, 'finance'), await createUser(ggml, 'finance')]
  return {
    c,
    invoice,
    finance1: await scopeFor(f1.id, c.partner.id, 'adjustments.request'),
    finance2: await scopeFor(f2.id, c.partner.id, 'adjustments.request'),
    partner: await scopeFor(c.partnerAdmin.id, c.partner.id, 'royalties.report'),
  }
}

describe('manual adjustments', () => {
  it('post only after a second finance user approves, as a balanced credit note', async () => {
    const { c, finance1, finance2 } = await partnerWithInvoice()
    const id = await requestAdjustment(finance1, {
      currency: 'USD',
      direction: 'credit',
      amount: '1,000.00',
      reason: 'Goodwill for the late price list',
    })
    expect(await receivable(c.partner.id)).toBe(28_000_000n)
    await expect(decideAdjustment(finance1, id, 'approve')).rejects.toThrow('A second finance user must decide')
    await decideAdjustment(finance2, id, 'approve', 'Agreed')
    expect(await receivable(c.partner.id)).toBe(27_900_000n)
    await expect(decideAdjustment(finance2, id, 'approve')).rejects.toThrow('already approved')
    await expect(
      requestAdjustment(finance1, { currency: 'USD', direction: 'debit', amount: '1.001', reason: 'Too precise' }),
    ).rejects.toMatchObject({ fieldErrors: { amount: [expect.stringContaining('more than 2 decimal places')] } })
  })
})

describe('disputes', () => {
  it('hold the disputed amount out of dunning, keep a thread, and end in a four-eyes credit note', async () => {
    const { c, invoice, finance1, finance2, partner } = await partnerWithInvoice()
    const disputeId = await openDispute(
      partner,
      {
        invoiceId: invoice.id,
        chargeLabel: 'Minimum-guarantee shortfall',
        amount: '1000.00',
        reason: 'We shipped 40,000 more Premium units in March than this counts.',
      },
      { name: 'march.csv', bytes: new TextEncoder().encode('model,units\nNW-Book Pro,40000\n') },
    )
    await expect(
      openDispute(partner, {
        invoiceId: invoice.id,
        amount: '280000.00',
        reason: 'Everything is wrong with this one.',
      }),
    ).rejects.toMatchObject({ fieldErrors: { amount: [expect.stringContaining('$279,000.00')] } })
    await addDisputeMessage(finance1, disputeId, 'Please send the shipment manifest.')
    await addDisputeMessage(partner, disputeId, 'Attached.', {
      name: 'manifest.pdf',
      bytes: new Uint8Array([37, 80, 68, 70]),
    })

    // Dunning chases what is overdue and not disputed: $280,000 − $1,000.
    travelTo('2026-11-26T07:00:00Z')
    const sent = await runDunning()
    expect(sent).toBeGreaterThan(0)
    const mail = await db().mailMessage.findFirstOrThrow({
      where: { to: c.partnerAdmin.email, subject: { contains: 'overdue' } },
    })
    expect(mail.text).toContain('$279,000.00 of invoice T-1')
    expect(mail.text).toContain('$1,000.00 under dispute is not included')
    travelTo('2026-11-26T08:00:00Z')
    expect(await runDunning()).toBe(sent) // same step, same keys: nothing new is sent
    expect(
      await db().mailMessage.count({ where: { to: c.partnerAdmin.email, subject: { contains: 'overdue' } } }),
    ).toBe(1)

    const { adjustmentId } = await resolveDispute(finance1, disputeId, {
      decision: 'uphold',
      note: 'Manifest confirms the units.',
    })
    expect(await receivable(c.partner.id)).toBe(28_000_000n)
    await decideAdjustment(finance2, adjustmentId!, 'approve')
    expect(await receivable(c.partner.id)).toBe(27_900_000n)
    const dispute = await db().dispute.findUniqueOrThrow({ where: { id: disputeId }, include: { messages: true } })
    expect(dispute.status).toBe('resolved')
    expect(dispute.messages.map((m) => m.body)).toEqual([
      'We shipped 40,000 more Premium units in March than this counts.',
      'Please send the shipment manifest.',
      'Attached.',
      'Upheld: Manifest confirms the units.',
    ])
    expect(dispute.messages[0]!.evidenceSha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('a credit note for a services invoice corrects the services accounts, not royalties', async () => {
    const { c, finance1, finance2, partner } = await partnerWithInvoice()
    const posted = await db().$transaction((tx) =>
      postJournalEntry(tx, {
        organizationId: c.partner.id,
        currency: 'USD',
        idempotencyKey: `services-dispute:${c.partner.id}`,
        kind: 'services_invoice',
        description: 'Porting work, March',
        effectiveDate: '2027-03-31',
        lines: [
          { account: 'services_receivable', debitMinor: 500_000n, memo: 'Porting work: 25 h at $200.00/h' },
          { account: 'services_revenue', creditMinor: 500_000n, memo: 'Porting work: services' },
        ],
      }),
    )
    const invoice = await db().invoice.create({
      data: {
        id: newId(),
        organizationId: c.partner.id,
        journalEntryId: posted.id,
        currency: 'USD',
        description: 'Porting work, March',
        lines: [],
        amountDueMinor: 500_000n,
        status: 'open',
        number: 'S-1',
      },
    })
    const disputeId = await openDispute(partner, {
      invoiceId: invoice.id,
      amount: '200.00',
      reason: 'One hour billed twice.',
    })
    const { adjustmentId } = await resolveDispute(finance1, disputeId, { decision: 'uphold', note: 'Yes, twice.' })
    const { journalEntryId } = await decideAdjustment(finance2, adjustmentId!, 'approve')
    const lines = await db().journalLine.findMany({
      where: { entryId: journalEntryId! },
      include: { account: { select: { type: true } } },
    })
    expect(lines.map((l) => [l.account.type, l.debitMinor, l.creditMinor]).sort()).toEqual(
      [
        ['services_revenue', 20_000n, 0n],
        ['services_receivable', 0n, 20_000n],
      ].sort(),
    )
  })

  it('an invoice settled by credit notes alone says so, not "paid" (user review of issue 30)', async () => {
    const { c, invoice } = await partnerWithInvoice()
    await db().invoice.update({
      where: { id: invoice.id },
      data: { status: 'paid', amountPaidMinor: 0n, paidFromBalanceMinor: 0n, paidAt: new Date('2027-05-02') },
    })
    const scope = await scopeFor(c.partnerAdmin.id, c.partner.id, 'invoices.view')
    const listed = (await listInvoices(scope)).invoices.find((i) => i.id === invoice.id)!
    expect(listed).toMatchObject({ status: 'paid', creditedInFull: true })
    await db().invoice.update({ where: { id: invoice.id }, data: { amountPaidMinor: 28_000_000n } })
    expect((await listInvoices(scope)).invoices.find((i) => i.id === invoice.id)!.creditedInFull).toBe(false)
  })
})
