import { registerLocalStripe } from '../../services/billing/stripe-client.ts'
import { createHmac, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import express, { type Request, type Response } from 'express'

/**
 * A local stand-in for the part of Stripe's API the platform calls: customers, invoice items,
 * invoices (create, finalize, retrieve), with idempotency keys honoured as Stripe honours them, a
 * hosted invoice page where a person pays (or fails to pay), and webhooks signed exactly as Stripe
 * signs them (Stripe-Signature: t=…,v1=HMAC-SHA256(secret, "t.payload")). Tests can make the next
 * requests fail, to prove retries are safe.
 */
export interface LocalStripeOptions {
  secretKey: string
  webhookSecret: string
  webhookUrl: string
  dataDir?: string
  host?: string
  port?: number
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
  amount_due: number
  amount_paid: number
  amount_remaining: number
  attempt_count: number
  hosted_invoice_url: string | null
  created: number
  status_transitions: { finalized_at: number | null; paid_at: number | null }
  lines: { object: 'list'; data: { id: string; amount: number; currency: string; description: string }[] }
  payment_intent: string | null
}

export interface LocalStripe {
  apiBase: string
  invoices: Map<string, InvoiceRecord>
  deliveries: { type: string; status: number | 'error' }[]
  failNext: (n: number) => void
  settled: () => Promise<void>
  close: () => Promise<void>
}

const now = () => Math.floor(Date.now() / 1000)
const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

export function stripeSignature(secret: string, payload: string, timestamp = now()): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest('hex')}`
}

export async function startLocalStripe(opts: LocalStripeOptions): Promise<LocalStripe> {
  const file = opts.dataDir ? path.join(opts.dataDir, 'stripe.json') : undefined
  const state =
    file && existsSync(file)
      ? (JSON.parse(readFileSync(file, 'utf8')) as {
          customers: Record<string, unknown>[]
          invoices: InvoiceRecord[]
          items: Record<string, unknown>[]
        })
      : { customers: [], invoices: [], items: [] }
  const invoices = new Map(state.invoices.map((i) => [i.id, i]))
  const customers = new Map(state.customers.map((c) => [c.id as string, c]))
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
      JSON.stringify({ customers: [...customers.values()], invoices: [...invoices.values()], items: [] }),
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
  const find = (req: Request, res: Response) => {
    const inv = invoices.get(String(req.params.id))
    if (!inv)
      res.status(404).json({
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          message: `No such invoice: '${req.params.id}'`,
        },
      })
    return inv
  }
  api.post('/customers', (req, res) => {
    const c = {
      id: id('cus'),
      object: 'customer',
      name: req.body.name ?? null,
      email: req.body.email ?? null,
      metadata: req.body.metadata ?? {},
    }
    customers.set(c.id, c)
    persist()
    res.json(c)
  })
  api.post('/invoices', (req, res) => {
    if (!customers.has(req.body.customer))
      return res
        .status(400)
        .json({ error: { type: 'invalid_request_error', message: `No such customer: '${req.body.customer}'` } })
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
      amount_due: 0,
      amount_paid: 0,
      amount_remaining: 0,
      attempt_count: 0,
      hosted_invoice_url: null,
      created: now(),
      status_transitions: { finalized_at: null, paid_at: null },
      lines: { object: 'list', data: [] },
      payment_intent: null,
    }
    invoices.set(inv.id, inv)
    persist()
    res.json(inv)
  })
  api.post('/invoiceitems', (req, res) => {
    const inv = invoices.get(req.body.invoice)
    if (!inv || inv.status !== 'draft')
      return res.status(400).json({
        error: { type: 'invalid_request_error', message: 'Invoice items can only be added to a draft invoice.' },
      })
    const item = {
      id: id('ii'),
      amount: Number(req.body.amount),
      currency: String(req.body.currency).toLowerCase(),
      description: req.body.description ?? '',
    }
    inv.lines.data.push(item)
    inv.amount_due += item.amount
    inv.amount_remaining = inv.amount_due
    persist()
    res.json({ object: 'invoiceitem', invoice: inv.id, ...item })
  })
  api.post('/invoices/:id/finalize', (req, res) => {
    const inv = find(req, res)
    if (!inv) return
    if (inv.status !== 'draft')
      return res
        .status(400)
        .json({ error: { type: 'invalid_request_error', message: `This invoice is already ${inv.status}.` } })
    inv.status = 'open'
    inv.number = `LOCAL-${String(++invoiceSeq).padStart(5, '0')}`
    inv.status_transitions.finalized_at = now()
    inv.due_date = inv.days_until_due ? now() + inv.days_until_due * 86_400 : null
    inv.hosted_invoice_url = `${base}/i/${inv.id}`
    persist()
    emit('invoice.finalized', inv)
    res.json(inv)
  })
  api.get('/invoices/:id', (req, res) => {
    const inv = find(req, res)
    if (inv) res.json(inv)
  })
  app.use('/v1', api)

  // The hosted invoice page a partner pays on.
  app.get('/i/:id', (req, res) => {
    const inv = invoices.get(String(req.params.id))
    if (!inv) return res.status(404).send('No such invoice.')
    const amount = (inv.amount_due / 100).toLocaleString('en-US', {
      style: 'currency',
      currency: inv.currency.toUpperCase(),
    })
    const cur = inv.currency.toUpperCase()
    const items = inv.lines.data
      .map((l) => `<li>${escapeHtml(l.description)}: ${(l.amount / 100).toFixed(2)} ${cur}</li>`)
      .join('')
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
        <title>Invoice ${escapeHtml(inv.number ?? inv.id)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:640px;margin:2rem auto;padding:0 1rem}
header{background:#635bff;color:#fff;padding:1rem;border-radius:8px}
button{font:inherit;padding:.6rem 1.2rem;border-radius:6px;border:0;cursor:pointer;background:#635bff;color:#fff}
.fail{background:#eee;color:#333}</style></head><body>
<header><strong>Local Stripe</strong> · Invoice ${escapeHtml(inv.number ?? inv.id)}</header>
<p>${escapeHtml(inv.description ?? '')}</p><ul>${items}</ul>
<p>Amount due: <strong>${amount}</strong> · Status: <strong id="status">${inv.status}</strong></p>
${
  inv.status === 'open'
    ? `<form method="post" action="/i/${inv.id}/pay"><button type="submit">Pay ` +
      `${amount}</button></form><form method="post" action="/i/${inv.id}/fail"><p><button class="fail" ` +
      `type="submit">Simulate a declined card</button></p></form>`
    : ''
}
</body></html>`)
  })
  app.post('/i/:id/pay', (req, res) => {
    const inv = invoices.get(String(req.params.id))
    if (!inv || inv.status !== 'open') return res.status(400).send('This invoice cannot be paid.')
    inv.status = 'paid'
    inv.amount_paid = inv.amount_due
    inv.amount_remaining = 0
    inv.attempt_count++
    inv.payment_intent = id('pi')
    inv.status_transitions.paid_at = now()
    persist()
    emit('invoice.paid', inv)
    res.redirect(303, `/i/${inv.id}`)
  })
  app.post('/i/:id/fail', (req, res) => {
    const inv = invoices.get(String(req.params.id))
    if (!inv || inv.status !== 'open') return res.status(400).send('This invoice is not open.')
    inv.attempt_count++
    persist()
    emit('invoice.payment_failed', inv)
    res.redirect(303, `/i/${inv.id}`)
  })

  function emit(type: string, inv: InvoiceRecord) {
    const payload = JSON.stringify({
      id: id('evt'),
      object: 'event',
      api_version: '2025-01-27.acacia',
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type,
      data: { object: inv },
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
    invoices,
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

/** Starts the local Stripe server and points the platform's Stripe settings at it. */
export async function bootLocalStripe(opts: { dir?: string; webhookUrl: string; port?: number }): Promise<LocalStripe> {
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
  return server
}
