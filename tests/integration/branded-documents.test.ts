import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalStripe, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { db } from '../../services/platform/db/client.ts'
import { renderSowPdf } from '../../services/engagements/render-sow-pdf.ts'
import { billingParty } from '../../services/organizations/billing-party.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'
import { pdfStreams, pdfText } from '../support/pdf-text.ts'
import { report, row, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// Issue 28: invoices, credit notes, statements and statements of work as customers expect them, in one
// layout. Each PDF is read back as text and every field a customer looks for is asserted on.
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

const settle = async () => {
  await drainJobs()
  await stripe.settled()
  await drainJobs()
}

// The defaults of ISSUER_* and BANK_* (services/platform/config/env.ts): the demo's legal entity and account.
const ggml = {
  name: 'ggml.ai Ltd.',
  address: ['1 Example Street', 'Sofia 1000', 'Bulgaria'],
  taxId: 'Tax ID BG000000000',
  bank: ['Example Bank AD', 'BG00 EXMP 0000 0000 0000 00', 'EXMPBGSF'],
}
const partner = {
  legalName: 'Acme Devices GmbH',
  address: ['Hauptstraße 1', '10115 Berlin', 'Germany'],
  taxId: 'DE123456789',
}

/** What every one of ggml's documents carries: the mark (its lit diagonal in the accent), the entity, the footer. */
function expectBrand(pdf: Buffer, text: string) {
  expect(text).toContain('ggml\n.ai')
  // The mark's three lit cells, filled with the accent #ff8a3d.
  const accentFills = pdfStreams(pdf)
    .join('\n')
    .match(/1 0\.541\d* 0\.239\d* scn/g)
  expect(accentFills?.length ?? 0).toBeGreaterThanOrEqual(3)
  for (const line of [ggml.name, ...ggml.address, ggml.taxId]) expect(text).toContain(line)
  expect(text).toContain(`${ggml.name} · ${ggml.address.join(', ')} · ${ggml.taxId}`)
  expect(text).toMatch(/page 1 of \d/)
}

function expectBillTo(text: string) {
  for (const line of [partner.legalName, ...partner.address, `Tax ID ${partner.taxId}`]) expect(text).toContain(line)
}

describe('ggml documents (issue 28)', () => {
  it('refuse billing details with control or direction characters, with a message, storing nothing', async () => {
    const org = await createOrganization('oem_partner', unique('Tricky'))
    const admin = await createUser(org.id, 'partner_admin')
    const c = new HttpClient(server.url)
    await c.signIn(admin.email, admin.password)
    const page = `/portal/${org.slug}/billing-details`
    const fields = { legalName: partner.legalName, billingAddress: partner.address.join('\n'), taxId: partner.taxId }
    for (const bad of [
      { billingAddress: 'Hauptstraße 1\u0000\n10115 Berlin' }, // PostgreSQL cannot store a NUL: was a 500
      { billingAddress: 'Hauptstraße 1\t\u0007\n10115 Berlin' },
      { legalName: 'Acme \u202eHbmG secived' }, // prints as "Acme devices GmbH"
      { billingAddress: 'Hauptstraße 1\n\u2067Berlin 10115' },
    ]) {
      const res = await c.post(page, { ...fields, ...bad })
      expect(res.status, JSON.stringify(bad)).toBe(422)
      expect(await res.text()).toContain('without control or direction characters')
    }
    expect(await db().organization.findUniqueOrThrow({ where: { id: org.id } })).toMatchObject({
      legalName: null,
      billingAddress: null,
    })
  })

  it('bill the partner as its admin keeps its billing details, with every field a customer expects', async () => {
    const c = await signedContractFor(
      hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
    )
    // Q2 $535,000 restated to $505,000: an open invoice with a $30,000 credit note against it.
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
    expect(q2.status).toBe('open')

    // An engineer may not change what the documents bill to; nonsense is refused with a message; nothing changes.
    const engineer = await createUser(c.partner.id, 'partner_engineer')
    const eng = new HttpClient(server.url)
    await eng.signIn(engineer.email, engineer.password)
    const page = `/portal/${c.partner.slug}/billing-details`
    const fields = { legalName: partner.legalName, billingAddress: partner.address.join('\n'), taxId: partner.taxId }
    expect([403, 404]).toContain((await eng.post(page, { ...fields, legalName: 'Mallory Ltd' })).status)
    const admin = new HttpClient(server.url)
    await admin.signIn(c.partnerAdmin.email, c.partnerAdmin.password)
    const bad = await admin.post(page, { ...fields, billingAddress: 'somewhere', taxId: '<script>' })
    expect(bad.status).toBe(422)
    const badText = await bad.text()
    expect(badText).toContain('Enter the postal address')
    expect(badText).toContain('Enter the tax id as issued')
    expect(await db().organization.findUniqueOrThrow({ where: { id: c.partner.id } })).toMatchObject({
      legalName: null,
      taxId: null,
    })
    expect((await admin.post(page, { ...fields, billingAddress: `${fields.billingAddress}\r\n\r\n` })).status).toBe(200)
    expect(await db().organization.findUniqueOrThrow({ where: { id: c.partner.id } })).toMatchObject({
      legalName: partner.legalName,
      billingAddress: partner.address.join('\n'),
      taxId: partner.taxId,
    })
    expect(
      await db().auditEvent.count({ where: { action: 'organization.billing_details', targetId: c.partner.id } }),
    ).toBe(1)

    // The invoice.
    const invoicePdf = Buffer.from(
      await (await admin.get(`/portal/${c.partner.slug}/invoices/${q2.id}/invoice.pdf`)).arrayBuffer(),
    )
    const invoice = pdfText(invoicePdf)
    expectBrand(invoicePdf, invoice)
    expectBillTo(invoice)
    expect(invoice).toContain('Invoice')
    expect(invoice).toContain(q2.number!)
    expect(invoice).toContain(`Issue date\n${q2.issuedAt!.toISOString().slice(0, 10)}`)
    expect(invoice).toContain(`Due date\n${q2.dueDate!.toISOString().slice(0, 10)}`)
    // The items table, as billed ($535,000 before the credit note), then subtotal, tax and total.
    expect(invoice).toContain('DESCRIPTION\nAMOUNT')
    for (const line of q2.lines as { description: string }[]) expect(invoice).toContain(line.description)
    expect(invoice).toContain('Subtotal\n$535,000.00')
    expect(invoice).toContain('Tax\n$0.00\nNo VAT charged')
    expect(invoice).toContain('Total\n$535,000.00')
    expect(invoice).toMatch(/Credit note .+\n-\$30,000\.00/)
    expect(invoice).toContain('Left to pay\n$505,000.00')
    // How to pay: Stripe's hosted page, and ggml's bank account with the invoice number as reference.
    expect(q2.hostedUrl).toBeTruthy()
    expect(invoice).toContain(q2.hostedUrl!)
    for (const line of ggml.bank) expect(invoice).toContain(line)
    expect(invoice).toContain(`Reference\n${q2.number}`)
    // The charges behind the lines, with their traces.
    expect(invoice).toContain('How the charges were worked out')

    // The credit note, in the same layout.
    const note = await db().creditNote.findFirstOrThrow({ where: { invoiceId: q2.id } })
    const notePdf = Buffer.from(
      await (await admin.get(`/portal/${c.partner.slug}/invoices/${q2.id}/credit-notes/${note.id}.pdf`)).arrayBuffer(),
    )
    const credit = pdfText(notePdf)
    expectBrand(notePdf, credit)
    expectBillTo(credit)
    expect(credit).toContain(`Credit note\n${note.number}`)
    expect(credit).toContain(`Credits invoice\n${q2.number}`)
    expect(credit).toContain(note.reason)
    expect(credit).toContain('Subtotal\n$30,000.00\nTax\n$0.00')
    expect(credit).toContain('Total credited\n$30,000.00')
    expect((await admin.get(`/portal/${c.partner.slug}/invoices/${q2.id}/credit-notes/not-a-note.pdf`)).status).toBe(
      404,
    )

    // The statement of the quarter the partner lives in (livingAt): everything above was booked in it.
    const statementPdf = Buffer.from(
      await (await admin.get(`/portal/${c.partner.slug}/statements/2029-Q1.pdf`)).arrayBuffer(),
    )
    const statement = pdfText(statementPdf)
    expectBrand(statementPdf, statement)
    expectBillTo(statement)
    expect(statement).toContain('Statement\n2029-Q1')
    expect(statement).toContain('Statement date\n2029-03-31')
    expect(statement).toContain('Period\n2029-01-01 to 2029-03-31')
    expect(statement).toContain('POSTED\nDESCRIPTION\nAMOUNT')
    expect(statement).toContain('Opening balance\n$0.00\nClosing balance\n$505,000.00')
    expect(statement).toContain(`/portal/${c.partner.slug}/invoices?status=outstanding`)
    for (const line of ggml.bank) expect(statement).toContain(line)
    expect(statement).toContain('Reference\n2029-Q1 statement')

    // A statement of work for the same customer.
    const sow = await renderSowPdf({
      reference: 'SOW-TEST0001',
      title: 'Port llama.cpp to the Acme NPU',
      type: 'fixed_price',
      currency: 'EUR',
      startsOn: '2027-07-01',
      endsOn: '2027-12-31',
      customer: await billingParty(c.partnerScope),
      budgetHours: 400,
      budgetMinor: 6_000_000n,
      acceptanceDays: 10,
      milestones: [
        { seq: 1, title: 'Backend skeleton', amountMinor: 2_500_000n, dueOn: '2027-09-30' },
        { seq: 2, title: 'Quantized kernels', amountMinor: 3_500_000n, dueOn: '2027-12-15' },
      ],
      team: [{ role: 'senior_engineer', count: 2 }],
      customerSigner: { name: 'Ada Admin', email: 'ada@acme.example' },
      ggmlSigner: { name: 'Georgi', email: 'georgi@ggml.example' },
      preparedOn: '2027-06-20',
    })
    const sowText = pdfText(sow.bytes)
    expectBrand(sow.bytes, sowText)
    expectBillTo(sowText)
    expect(sowText).toContain('Statement of work\nSOW-TEST0001')
    expect(sowText).toContain('Backend skeleton')
    expect(sowText).toContain('€25,000.00')
    expect(sowText).toContain('Total\n€60,000.00')
    expect(sowText).toContain(`For ${partner.legalName}: Ada Admin <ada@acme.example>`)
    expect(sowText).toContain(`For ${ggml.name}: Georgi <georgi@ggml.example>`)
  })
})
