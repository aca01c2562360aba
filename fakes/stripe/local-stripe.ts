import { registerLocalStripe } from '../../services/billing/stripe-client.ts'
import { nowMs } from '../../services/platform/clock.ts'
import { createHmac, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import express, { type Request, type Response } from 'express'

/**
 * A local stand-in for the part of Stripe's API the platform calls: customers (with their credit
 * balance and balance transactions), invoice items, invoices (create, finalize, retrieve), credit
 * notes, with idempotency keys honoured as Stripe honours them; a hosted invoice page where a person
 * pays by card or bank transfer (or has a card declined); and webhooks signed exactly as Stripe signs
 * them (Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.payload")). It keeps Stripe's limits: an
 * amount has at most eight digits (99,999,999 minor units, $999,999.99), an invoice at most 250
 * items, and a card cannot pay more than one amount can hold. Tests can make the next requests fail.
 */
export interface LocalStripeOptions {
  secretKey: string
  webhookSecret: string
  webhookUrl: string
  dataDir?: string
  host?: string
  port?: number
}

/** Stripe's largest amount: eight digits of minor units. */
export const STRIPE_MAX_AMOUNT = 99_999_999
export const STRIPE_MAX_INVOICE_ITEMS = 250

interface LineRecord {
  id: string
  amount: number
  currency: string
  description: string
  metadata: Record<string, string>
}

interface InvoiceRecord {
  id: string
  object: 'invoice'
  customer: string
  currency: string
  status: 'draft' | 'open' | 'paid' | 'void' | 'uncollectible'
  collection_method: string
  days_until_due: number | null
  due_date: number | null
  number: string | null
  description: string | null
  metadata: Record<string, string>
  payment_settings: { payment_method_types: string[] | null }
  total: number
  amount_due: number
  amount_paid: number
  amount_remaining: number
  starting_balance: number
  ending_balance: number | null
  pre_payment_credit_notes_amount: number
  post_payment_credit_notes_amount: number
  attempt_count: number
  hosted_invoice_url: string | null
  created: number
  status_transitions: { finalized_at: number | null; paid_at: number | null }
  lines: { object: 'list'; data: LineRecord[] }
  payment_intent: string | null
  last_payment_error: { message: string } | null
}

interface CustomerRecord {
  id: string
  object: 'customer'
  name: string | null
  email: string | null
  metadata: Record<string, string>
  /** Negative: credit the customer has with us, applied to the next invoices at finalize. */
  balance: number
}

interface CreditNoteRecord {
  id: string
  object: 'credit_note'
  invoice: string
  customer: string
  amount: number
  currency: string
  number: string
  reason: string | null
  memo: string | null
  status: 'issued'
  type: 'pre_payment' | 'post_payment'
  credit_amount: number
  customer_balance_transaction: string | null
  metadata: Record<string, string>
  created: number
}

interface CheckoutSessionRecord {
  id: string
  object: 'checkout.session'
  mode: 'payment'
  status: 'open' | 'complete' | 'expired'
  payment_status: 'unpaid' | 'paid'
  amount_total: number
  currency: string
  customer_email: string | null
  client_reference_id: string | null
  metadata: Record<string, string>
  line_items: { description: string; amount: number }[]
  success_url: string
  cancel_url: string
  url: string
  payment_intent: string | null
  created: number
}

interface RefundRecord {
  id: string
  object: 'refund'
  amount: number
  currency: string
  payment_intent: string
  status: 'succeeded'
  metadata: Record<string, string>
  created: number
}

export interface LocalStripe {
  apiBase: string
  checkoutSessions: Map<string, CheckoutSessionRecord>
  refunds: Map<string, RefundRecord>
  invoices: Map<string, InvoiceRecord>
  customers: Map<string, CustomerRecord>
  creditNotes: Map<string, CreditNoteRecord>
  deliveries: { type: string; status: number | 'error' }[]
  failNext: (n: number) => void
  settled: () => Promise<void>
  close: () => Promise<void>
}

// Stripe's clock is Stripe's: it never travels with the platform's (its signatures must verify now).
// Objects are dated by the platform's clock, as a Stripe test clock would date them, so tests that
// travel in time see due dates in their own calendar; signatures carry the wall clock, which the
// SDK's tolerance check reads.
const now = () => Math.floor(nowMs() / 1000)
const wallClock = () => Math.floor(Date.now() / 1000)
const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const invalid = (res: Response, message: string, code?: string, param?: string) =>
  res
    .status(400)
    .json({ error: { type: 'invalid_request_error', message, ...(code && { code }), ...(param && { param }) } })
const tooLarge = (param: string) =>
  `${param} must be at most ${STRIPE_MAX_AMOUNT} (eight digits of the currency's smallest unit: $999,999.99).`

export function stripeSignature(secret: string, payload: string, timestamp = wallClock()): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`
}

export async function startLocalStripe(opts: LocalStripeOptions): Promise<LocalStripe> {
  const file = opts.dataDir ? path.join(opts.dataDir, 'stripe.json') : undefined
  const state =
    file && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as {
          customers: CustomerRecord[]
          invoices: InvoiceRecord[]
          creditNotes?: CreditNoteRecord[]
          checkoutSessions?: CheckoutSessionRecord[]
          refunds?: RefundRecord[]
        })
      : { customers: [], invoices: [], creditNotes: [] }
  const checkoutSessions = new Map((state.checkoutSessions ?? []).map((c) => [c.id, c]))
  const refunds = new Map((state.refunds ?? []).map((r) => [r.id, r]))
  const invoices = new Map(state.invoices.map((i) => [i.id, i]))
  const customers = new Map(state.customers.map((c) => [c.id, { ...c, balance: c.balance ?? 0 }]))
  const creditNotes = new Map((state.creditNotes ?? []).map((c) => [c.id, c]))
  const idempotent = new Map<string, { status: number; body: unknown }>()
  const deliveries: LocalStripe['deliveries'] = []
  const inFlight = new Set<Promise<void>>()
  let failures = 0
  let invoiceSeq = invoices.size
  let base = ''
  const persist = () => {
    if (!file) return
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(
      file,
      JSON.stringify({
        customers: [...customers.values()],
        invoices: [...invoices.values()],
        creditNotes: [...creditNotes.values()],
        checkoutSessions: [...checkoutSessions.values()],
        refunds: [...refunds.values()],
      }),
    )
  }

  const app = express()
  app.use(express.urlencoded({ extended: true }))
  const api = express.Router()
  api.use((req, res, next) => {
    if (req.get('authorization') !== `Bearer ${opts.secretKey}`)
      return res.status(401).json({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } })
    if (failures > 0) {
      failures--
      return res.status(500).json({ error: { type: 'api_error', message: 'Simulated failure (local Stripe).' } })
    }
    const key = req.get('idempotency-key')
    if (key && req.method === 'POST') {
      const seen = idempotent.get(key)
      if (seen) return res.status(seen.status).set('Idempotent-Replayed', 'true').json(seen.body)
      const json = res.json.bind(res)
      res.json = (body: unknown) => {
        idempotent.set(key, { status: res.statusCode, body })
        return json(body)
      }
    }
    next()
  })
  const missing = (res: Response, what: string, value: string) =>
    res.status(404).json({
      error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${value}'` },
    })
  const find = (req: Request, res: Response) => {
    const inv = invoices.get(String(req.params.id))
    if (!inv) missing(res, 'invoice', String(req.params.id))
    return inv
  }
  api.post('/customers', (req, res) => {
    const c: CustomerRecord = {
      id: id('cus'),
      object: 'customer',
      name: req.body.name ?? null,
      email: req.body.email ?? null,
      metadata: req.body.metadata ?? {},
      balance: 0,
    }
    customers.set(c.id, c)
    persist()
    res.json(c)
  })
  api.get('/customers/:id', (req, res) => {
    const c = customers.get(String(req.params.id))
    return c ? res.json(c) : missing(res, 'customer', String(req.params.id))
  })
  // A credit (negative amount) or debit to the customer's balance, applied to its next invoices.
  api.post('/customers/:id/balance_transactions', (req, res) => {
    const c = customers.get(String(req.params.id))
    if (!c) return missing(res, 'customer', String(req.params.id))
    const amount = Number(req.body.amount)
    if (!Number.isInteger(amount) || amount === 0)
      return invalid(res, 'amount must be a non-zero integer.', undefined, 'amount')
    if (Math.abs(amount) > STRIPE_MAX_AMOUNT) return invalid(res, tooLarge('amount'), 'amount_too_large', 'amount')
    c.balance += amount
    persist()
    res.json({
      id: id('cbtxn'),
      object: 'customer_balance_transaction',
      amount,
      currency: String(req.body.currency ?? 'usd').toLowerCase(),
      customer: c.id,
      description: req.body.description ?? null,
      ending_balance: c.balance,
      type: 'adjustment',
    })
  })
  api.post('/invoices', (req, res) => {
    if (!customers.has(req.body.customer)) return invalid(res, `No such customer: '${req.body.customer}'`)
    const types = req.body.payment_settings?.payment_method_types
    const inv: InvoiceRecord = {
      id: id('in'),
      object: 'invoice',
      customer: req.body.customer,
      currency: String(req.body.currency ?? 'usd').toLowerCase(),
      status: 'draft',
      collection_method: req.body.collection_method ?? 'charge_automatically',
      days_until_due: req.body.days_until_due ? Number(req.body.days_until_due) : null,
      due_date: null,
      number: null,
      description: req.body.description ?? null,
      metadata: req.body.metadata ?? {},
      payment_settings: { payment_method_types: Array.isArray(types) ? types.map(String) : null },
      total: 0,
      amount_due: 0,
      amount_paid: 0,
      amount_remaining: 0,
      starting_balance: 0,
      ending_balance: null,
      pre_payment_credit_notes_amount: 0,
      post_payment_credit_notes_amount: 0,
      attempt_count: 0,
      hosted_invoice_url: null,
      created: now(),
      status_transitions: { finalized_at: null, paid_at: null },
      lines: { object: 'list', data: [] },
      payment_intent: null,
      last_payment_error: null,
    }
    invoices.set(inv.id, inv)
    persist()
    res.json(inv)
  })
  api.post('/invoiceitems', (req, res) => {
    const inv = invoices.get(req.body.invoice)
    if (!inv || inv.status !== 'draft') return invalid(res, 'Invoice items can only be added to a draft invoice.')
    const amount = Number(req.body.amount)
    if (!Number.isInteger(amount)) return invalid(res, 'amount must be an integer.', undefined, 'amount')
    if (Math.abs(amount) > STRIPE_MAX_AMOUNT) return invalid(res, tooLarge('amount'), 'amount_too_large', 'amount')
    if (inv.lines.data.length >= STRIPE_MAX_INVOICE_ITEMS)
      return invalid(res, `An invoice can hold at most ${STRIPE_MAX_INVOICE_ITEMS} invoice items.`)
    const item: LineRecord = {
      id: id('ii'),
      amount,
      currency: String(req.body.currency).toLowerCase(),
      description: req.body.description ?? '',
      metadata: req.body.metadata ?? {},
    }
    inv.lines.data.push(item)
    inv.total += item.amount
    inv.amount_due = inv.total
    inv.amount_remaining = inv.total
    persist()
    res.json({ object: 'invoiceitem', invoice: inv.id, ...item })
  })
  api.post('/invoices/:id/finalize', (req, res) => {
    const inv = find(req, res)
    if (!inv) return
    if (inv.status !== 'draft') return invalid(res, `This invoice is already ${inv.status}.`)
    if (inv.total < 0) return invalid(res, 'An invoice cannot be finalized with a negative total.')
    // The customer's credit balance pays what it can, as Stripe applies it at finalization.
    const customer = customers.get(inv.customer)!
    inv.starting_balance = customer.balance
    const applied = customer.balance < 0 ? Math.min(-customer.balance, inv.total) : 0
    customer.balance += applied
    inv.ending_balance = customer.balance
    inv.amount_due = inv.total - applied
    inv.amount_remaining = inv.amount_due
    inv.status = 'open'
    inv.number = `LOCAL-${String(++invoiceSeq).padStart(5, '0')}`
    inv.status_transitions.finalized_at = now()
    inv.due_date = inv.days_until_due ? now() + inv.days_until_due * 86_400 : null
    inv.hosted_invoice_url = `${base}/i/${inv.id}`
    if (inv.amount_due === 0) {
      inv.status = 'paid'
      inv.status_transitions.paid_at = now()
    }
    persist()
    emit('invoice.finalized', inv)
    if (inv.status === 'paid') emit('invoice.paid', inv)
    res.json(inv)
  })
  api.get('/invoices/:id', (req, res) => {
    const inv = find(req, res)
    if (inv) res.json(inv)
  })
  // A credit note: before payment it lowers what is due; after payment it credits the customer's balance.
  const notesOf = (invoice: string) => [...creditNotes.values()].filter((c) => c.invoice === invoice).length
  api.post('/credit_notes', (req, res) => {
    const inv = invoices.get(String(req.body.invoice))
    if (!inv) return missing(res, 'invoice', String(req.body.invoice))
    if (inv.status !== 'open' && inv.status !== 'paid')
      return invalid(res, `A credit note needs an open or paid invoice; this one is ${inv.status}.`)
    const amount = Number(req.body.amount)
    if (!Number.isInteger(amount) || amount <= 0)
      return invalid(res, 'amount must be a positive integer.', undefined, 'amount')
    if (amount > STRIPE_MAX_AMOUNT) return invalid(res, tooLarge('amount'), 'amount_too_large', 'amount')
    const credited = inv.pre_payment_credit_notes_amount + inv.post_payment_credit_notes_amount
    if (amount > inv.total - credited)
      return invalid(
        res,
        `The credit note's amount exceeds what is left to credit on the invoice (${inv.total - credited}).`,
      )
    const note: CreditNoteRecord = {
      id: id('cn'),
      object: 'credit_note',
      invoice: inv.id,
      customer: inv.customer,
      amount,
      currency: inv.currency,
      number: `${inv.number}-CN-${String(notesOf(inv.id) + 1).padStart(2, '0')}`,
      reason: req.body.reason ?? null,
      memo: req.body.memo ?? null,
      status: 'issued',
      type: inv.status === 'open' ? 'pre_payment' : 'post_payment',
      credit_amount: 0,
      customer_balance_transaction: null,
      metadata: req.body.metadata ?? {},
      created: now(),
    }
    if (note.type === 'pre_payment') {
      if (amount > inv.amount_remaining)
        return invalid(
          res,
          `The credit note's amount exceeds the invoice's amount remaining (${inv.amount_remaining}).`,
        )
      inv.pre_payment_credit_notes_amount += amount
      inv.amount_due -= amount
      inv.amount_remaining -= amount
      if (inv.amount_remaining === 0) {
        inv.status = 'paid'
        inv.status_transitions.paid_at = now()
      }
    } else {
      // We support crediting the customer's balance; refunds and out-of-band credits are not needed here.
      if (Number(req.body.credit_amount) !== amount)
        return invalid(res, 'For a paid invoice, credit_amount must equal amount (credit to the customer balance).')
      const customer = customers.get(inv.customer)!
      customer.balance -= amount
      note.credit_amount = amount
      note.customer_balance_transaction = id('cbtxn')
      inv.post_payment_credit_notes_amount += amount
    }
    creditNotes.set(note.id, note)
    persist()
    emit('credit_note.created', note)
    emit('invoice.updated', inv)
    if (note.type === 'pre_payment' && inv.status === 'paid') emit('invoice.paid', inv)
    res.json(note)
  })
  api.get('/credit_notes', (req, res) => {
    const invoice = req.query.invoice ? String(req.query.invoice) : null
    const data = [...creditNotes.values()].filter((c) => !invoice || c.invoice === invoice)
    res.json({ object: 'list', data, has_more: false, url: '/v1/credit_notes' })
  })
  api.get('/credit_notes/:id', (req, res) => {
    const cn = creditNotes.get(String(req.params.id))
    return cn ? res.json(cn) : missing(res, 'credit note', String(req.params.id))
  })
  // Checkout Sessions (mode payment, inline price_data), as the training site sells courses and exams.
  api.post('/checkout/sessions', (req, res) => {
    const items = Array.isArray(req.body.line_items) ? req.body.line_items : []
    if (req.body.mode !== 'payment') return invalid(res, 'Only mode=payment is supported here.', undefined, 'mode')
    if (!items.length) return invalid(res, 'line_items is required.', undefined, 'line_items')
    if (!req.body.success_url || !req.body.cancel_url) return invalid(res, 'success_url and cancel_url are required.')
    const lines: CheckoutSessionRecord['line_items'] = []
    let currency = ''
    for (const item of items) {
      const amount = Number(item?.price_data?.unit_amount) * Number(item?.quantity ?? 1)
      if (!Number.isInteger(amount) || amount < 0)
        return invalid(res, 'unit_amount must be a non-negative integer.', undefined, 'line_items')
      if (amount > STRIPE_MAX_AMOUNT) return invalid(res, tooLarge('unit_amount'), 'amount_too_large')
      currency = String(item.price_data.currency ?? '').toLowerCase()
      lines.push({ description: String(item.price_data.product_data?.name ?? ''), amount })
    }
    const session: CheckoutSessionRecord = {
      id: id('cs_test'),
      object: 'checkout.session',
      mode: 'payment',
      status: 'open',
      payment_status: 'unpaid',
      amount_total: lines.reduce((a, l) => a + l.amount, 0),
      currency,
      customer_email: req.body.customer_email ?? null,
      client_reference_id: req.body.client_reference_id ?? null,
      metadata: req.body.metadata ?? {},
      line_items: lines,
      success_url: String(req.body.success_url),
      cancel_url: String(req.body.cancel_url),
      url: '',
      payment_intent: null,
      created: now(),
    }
    session.url = `${base}/c/${session.id}`
    checkoutSessions.set(session.id, session)
    persist()
    res.json(session)
  })
  api.get('/checkout/sessions/:id', (req, res) => {
    const cs = checkoutSessions.get(String(req.params.id))
    return cs ? res.json(cs) : missing(res, 'checkout session', String(req.params.id))
  })
  api.post('/checkout/sessions/:id/expire', (req, res) => {
    const cs = checkoutSessions.get(String(req.params.id))
    if (!cs) return missing(res, 'checkout session', String(req.params.id))
    if (cs.status !== 'open') return invalid(res, `This session is ${cs.status}.`)
    cs.status = 'expired'
    persist()
    emit('checkout.session.expired', cs)
    res.json(cs)
  })
  // Refunds of a Checkout payment, whole or part, never more than was paid.
  api.post('/refunds', (req, res) => {
    const pi = String(req.body.payment_intent ?? '')
    const cs = [...checkoutSessions.values()].find((c) => c.payment_intent === pi)
    if (!cs) return missing(res, 'payment_intent', pi)
    const refunded = [...refunds.values()].filter((r) => r.payment_intent === pi).reduce((a, r) => a + r.amount, 0)
    const amount = req.body.amount === undefined ? cs.amount_total - refunded : Number(req.body.amount)
    if (!Number.isInteger(amount) || amount <= 0 || refunded + amount > cs.amount_total)
      return invalid(
        res,
        `Refund amount must be between 1 and ${cs.amount_total - refunded}.`,
        'amount_too_large',
        'amount',
      )
    const refund: RefundRecord = {
      id: id('re'),
      object: 'refund',
      amount,
      currency: cs.currency,
      payment_intent: pi,
      status: 'succeeded',
      metadata: req.body.metadata ?? {},
      created: now(),
    }
    refunds.set(refund.id, refund)
    persist()
    emit('refund.created', refund)
    res.json(refund)
  })
  app.use('/v1', api)

  // The hosted checkout page a learner pays on.
  app.get('/c/:id', (req, res) => {
    const cs = checkoutSessions.get(String(req.params.id))
    if (!cs) return res.status(404).send('No such checkout session.')
    const total = money(cs.amount_total, cs.currency)
    const items = cs.line_items
      .map((l) => `<li>${escapeHtml(l.description)}: ${money(l.amount, cs.currency)}</li>`)
      .join('')
    const actions =
      cs.status === 'open'
        ? `<form method="post" action="/c/${cs.id}/pay"><button type="submit">Pay ${total}</button></form>` +
          `<p><a href="${escapeHtml(cs.cancel_url)}">Cancel and go back</a></p>`
        : `<p>This checkout is ${cs.status}.</p>`
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Checkout · Local Stripe</title>
<style>body{font-family:system-ui,sans-serif;max-width:640px;margin:2rem auto;padding:0 1rem}
header{background:#635bff;color:#fff;padding:1rem;border-radius:8px}
button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;cursor:pointer;background:#635bff;color:#fff}
</style></head><body><header><strong>Local Stripe</strong> · Checkout</header>
<p>${escapeHtml(cs.customer_email ?? '')}</p><ul>${items}</ul><p>Total <strong>${total}</strong></p>${actions}
</body></html>`)
  })
  app.post('/c/:id/pay', (req, res) => {
    const cs = checkoutSessions.get(String(req.params.id))
    if (!cs || cs.status !== 'open') return res.status(400).send('This checkout cannot be paid.')
    cs.status = 'complete'
    cs.payment_status = 'paid'
    cs.payment_intent = id('pi')
    persist()
    emit('checkout.session.completed', cs)
    res.redirect(303, cs.success_url.replace('{CHECKOUT_SESSION_ID}', cs.id))
  })

  // The hosted invoice page a partner pays on.
  const money = (minor: number, currency: string) =>
    (minor / 100).toLocaleString('en-US', { style: 'currency', currency: currency.toUpperCase() })
  const allows = (inv: InvoiceRecord, type: string) =>
    !inv.payment_settings.payment_method_types || inv.payment_settings.payment_method_types.includes(type)
  app.get('/i/:id', (req, res) => {
    const inv = invoices.get(String(req.params.id))
    if (!inv) return res.status(404).send('No such invoice.')
    const due = money(inv.amount_remaining, inv.currency)
    const items = inv.lines.data
      .map((l) => `<li>${escapeHtml(l.description)}: ${money(l.amount, inv.currency)}</li>`)
      .join('')
    const credits = inv.total - inv.amount_due - inv.pre_payment_credit_notes_amount
    const fromBalance = credits > 0 ? ` · paid from your credit balance ${money(credits, inv.currency)}` : ''
    const creditNoteText = inv.pre_payment_credit_notes_amount
      ? ` · credit notes ${money(inv.pre_payment_credit_notes_amount, inv.currency)}`
      : ''
    const card = allows(inv, 'card') && inv.amount_remaining <= STRIPE_MAX_AMOUNT
    const transfer = allows(inv, 'customer_balance')
    const back = inv.metadata.portal_url
      ? `<p><a href="${escapeHtml(inv.metadata.portal_url)}">Back to your invoices on ggml</a></p>`
      : ''
    const declined = req.query.declined
      ? '<p role="alert" class="error">Your card was declined (insufficient funds). ' +
        'Try another card, or pay by bank transfer.</p>'
      : ''
    const actions =
      inv.status !== 'open'
        ? ''
        : (card
            ? `<form method="post" action="/i/${inv.id}/pay"><button type="submit">Pay ${due} by card</button></form>` +
              `<form method="post" action="/i/${inv.id}/fail"><p><button class="fail" type="submit">` +
              'Simulate a declined card</button></p></form>'
            : `<p>Cards can pay at most ${money(STRIPE_MAX_AMOUNT, inv.currency)}: ` +
              'pay this invoice by bank transfer.</p>') +
          (transfer
            ? `<form method="post" action="/i/${inv.id}/transfer"><button type="submit">` +
              `Simulate the bank transfer of ${due} arriving</button></form>`
            : '')
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Invoice ${escapeHtml(inv.number ?? inv.id)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:640px;margin:2rem auto;padding:0 1rem}
header{background:#635bff;color:#fff;padding:1rem;border-radius:8px}
button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;cursor:pointer;background:#635bff;color:#fff}
.fail{background:#eee;color:#333}
.error{background:#fde8e8;color:#8a1111;padding:.6rem;border-radius:6px}</style></head><body>
<header><strong>Local Stripe</strong> · Invoice ${escapeHtml(inv.number ?? inv.id)}</header>
${declined}<p>${escapeHtml(inv.description ?? '')}</p><ul>${items}</ul>
<p>Total ${money(inv.total, inv.currency)}${fromBalance}${creditNoteText}</p>
<p>Amount due: <strong>${due}</strong> · Status: <strong id="status">${inv.status}</strong></p>
${actions}${back}
</body></html>`)
  })
  const pay = (inv: InvoiceRecord, res: Response) => {
    inv.status = 'paid'
    inv.amount_paid += inv.amount_remaining
    inv.amount_remaining = 0
    inv.attempt_count++
    inv.payment_intent = id('pi')
    inv.last_payment_error = null
    inv.status_transitions.paid_at = now()
    persist()
    emit('invoice.paid', inv)
    res.redirect(303, `/i/${inv.id}`)
  }
  app.post('/i/:id/pay', (req, res) => {
    const inv = invoices.get(String(req.params.id))
    if (!inv || inv.status !== 'open') return res.status(400).send('This invoice cannot be paid.')
    if (inv.amount_remaining > STRIPE_MAX_AMOUNT || !allows(inv, 'card'))
      return res.status(400).send(`A card cannot pay this invoice: pay it by bank transfer.`)
    pay(inv, res)
  })
  app.post('/i/:id/transfer', (req, res) => {
    const inv = invoices.get(String(req.params.id))
    if (!inv || inv.status !== 'open' || !allows(inv, 'customer_balance'))
      return res.status(400).send('This invoice cannot be paid by bank transfer.')
    pay(inv, res)
  })
  app.post('/i/:id/fail', (req, res) => {
    const inv = invoices.get(String(req.params.id))
    if (!inv || inv.status !== 'open') return res.status(400).send('This invoice is not open.')
    inv.attempt_count++
    inv.last_payment_error = { message: 'Your card was declined (insufficient funds).' }
    persist()
    emit('invoice.payment_failed', inv)
    res.redirect(303, `/i/${inv.id}?declined=1`)
  })

  function emit(type: string, object: InvoiceRecord | CreditNoteRecord | CheckoutSessionRecord | RefundRecord) {
    const payload = JSON.stringify({
      id: id('evt'),
      object: 'event',
      api_version: '2025-01-27.acacia',
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object },
    })
    const p = (async () => {
      for (let attempt = 0; attempt < 4; attempt++) {
        try {
          const res = await fetch(opts.webhookUrl, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              'Stripe-Signature': stripeSignature(opts.webhookSecret, payload),
            },
            body: payload,
          })
          deliveries.push({ type, status: res.status })
          if (res.ok) return
        } catch {
          deliveries.push({ type, status: 'error' })
        }
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt))
      }
    })()
    inFlight.add(p)
    void p.finally(() => inFlight.delete(p))
  }

  const server = http.createServer(app)
  await new Promise<void>((r) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => r()))
  base = `http://${opts.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`
  return {
    apiBase: base,
    checkoutSessions,
    refunds,
    invoices,
    customers,
    creditNotes,
    deliveries,
    failNext: (n) => {
      failures = n
    },
    settled: async () => {
      while (inFlight.size) await Promise.all([...inFlight])
    },
    close: () => new Promise((r) => server.close(() => r())),
  }
}

/**
 * Starts the local Stripe server and points this process's Stripe settings at it; its keys are returned
 * for other processes (server/fakes.ts hands them on as STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET).
 */
export async function bootLocalStripe(opts: {
  dir?: string
  webhookUrl: string
  port?: number
}): Promise<LocalStripe & { secretKey: string; webhookSecret: string }> {
  const secretFile = opts.dir ? path.join(opts.dir, 'secrets.json') : undefined
  const secrets =
    secretFile && existsSync(secretFile)
      ? (JSON.parse(readFileSync(secretFile, 'utf8')) as { secretKey: string; webhookSecret: string })
      : {
          secretKey: `sk_test_local_${randomBytes(12).toString('hex')}`,
          webhookSecret: `whsec_${randomBytes(24).toString('base64url')}`,
        }
  if (secretFile && !existsSync(secretFile)) {
    mkdirSync(opts.dir!, { recursive: true, mode: 0o700 })
    writeFileSync(secretFile, JSON.stringify(secrets), { mode: 0o600 })
  }
  const server = await startLocalStripe({ ...secrets, webhookUrl: opts.webhookUrl, dataDir: opts.dir, port: opts.port })
  registerLocalStripe({ secretKey: secrets.secretKey, webhookSecret: secrets.webhookSecret, apiBase: server.apiBase })
  return Object.assign(server, secrets)
}
