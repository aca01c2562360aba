import http from 'node:http'
import type { Cluster, Role } from './fault-cluster.ts'

/**
 * The fault suite's clients: partners uploading royalty reports through the API with an Idempotency-Key,
 * retrying an answer they did not get (a dropped connection, a 5xx) with the same key on the other web
 * process, as a partner's ERP would; and people loading their portal pages. What each request got is
 * counted, so the report says what clients saw during each fault.
 */

export interface Partner {
  name: string
  contractId: string
  token: string
  orgSlug: string
  /** The partner admin's session cookie (`__session=…`), for page loads and portal forms. */
  cookie: string
  nextMonth: number
}

/** The contracts' term: 240 monthly periods that have ended, so the platform accepts them today. */
export const TERM = { start: '2006-01-01', end: '2025-12-31' }
export const MONTHS = 240
export const monthOf = (n: number) => {
  if (n >= MONTHS) throw new Error(`month ${n} is past the contracts' term`)
  return `${2006 + Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, '0')}`
}

export const CSV_HEADER = 'device_model,device_class,price_band,region,units\n'

export class Seen {
  readonly counts = new Map<string, number>()
  add(what: string) {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1)
  }
  summary() {
    return [...this.counts.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k}×${n}`)
      .join(', ')
  }
}

const label = (e: unknown) => {
  const err = e as { name?: string; code?: string; cause?: { code?: string } }
  if (err.name === 'TimeoutError') return 'timeout'
  return err.cause?.code ?? err.code ?? err.name ?? 'error'
}

/** GGML Cloud reporting a contributor's usage with its service token. */
export interface CloudUsage {
  token: string
  account: string
  next: number
}

/** What the suite's clients need of the local Stripe: its address and the invoices it holds. */
export interface PayableStripe {
  apiBase: string
  invoices: Map<string, { id: string; status: string }>
}

export class Traffic {
  /** Idempotency key → the report id the platform acknowledged. */
  readonly acknowledged = new Map<string, string>()
  /** Idempotency key → the usage id the platform acknowledged for a credit usage report. */
  readonly usage = new Map<string, string>()
  /** Keys refused with a 4xx other than the size limit: a client error the suite never makes, so a bug. */
  readonly refused: string[] = []
  seen = new Seen()
  private running = false
  private loops: Promise<void>[] = []

  /** Stripe invoices a partner paid (by bank transfer, on Stripe's hosted page). */
  readonly paid = new Set<string>()

  constructor(
    private readonly cluster: Cluster,
    private readonly partners: Partner[],
    private readonly cloud: CloudUsage,
    private readonly stripe?: PayableStripe,
  ) {}

  /**
   * A partner pays the oldest open invoice at Stripe. Stripe then tells the platform by webhook, which
   * a fault may lose: the platform's reconciliation must still book it (invariants check).
   */
  async payOne(): Promise<void> {
    const open = [...(this.stripe?.invoices.values() ?? [])].find((i) => i.status === 'open' && !this.paid.has(i.id))
    if (!open) return
    try {
      const res = await fetch(`${this.stripe!.apiBase}/i/${open.id}/transfer`, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      })
      this.seen.add(`pay ${res.status}`)
      if (res.status === 303) this.paid.add(open.id)
    } catch (e) {
      this.seen.add(`pay ${label(e)}`)
    }
  }

  /** One credit usage report of 1.00, sent until acknowledged, as GGML Cloud sends them. */
  async reportUsage(first: Role): Promise<void> {
    const key = `usage-${this.cloud.next++}`
    const body = JSON.stringify({
      account: this.cloud.account,
      category: 'inference',
      amount: '1.00',
      occurredAt: new Date().toISOString(),
    })
    const targets: Role[] = first === 'web2' ? ['web2', 'web1'] : ['web1', 'web2']
    const deadline = Date.now() + 120_000
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      try {
        const res = await fetch(`${this.cluster.url(targets[attempt % 2]!)}/api/v1/credits/usage`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${this.cloud.token}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': key,
          },
          body,
          signal: AbortSignal.timeout(30_000),
        })
        const text = await res.text()
        this.seen.add(`usage ${res.status}`)
        if (res.status === 200 || res.status === 201) {
          this.usage.set(key, (JSON.parse(text) as { usageId: string }).usageId)
          return
        }
        if (res.status < 500 && res.status !== 429) {
          this.refused.push(`${key}: ${res.status} ${text.slice(0, 200)}`)
          return
        }
      } catch (e) {
        this.seen.add(`usage ${label(e)}`)
      }
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 1000)))
    }
    throw new Error(`${key} was never acknowledged`)
  }

  /** One report, sent until the platform acknowledges it (200 or 201), alternating web processes. */
  async upload(p: Partner, opts: { first?: Role; deadlineMs?: number } = {}): Promise<string | undefined> {
    const period = monthOf(p.nextMonth++)
    const key = `${p.name}-${period}`
    const body = `${CSV_HEADER}Phone-${period},smartphone,Entry,EU,${1000 + p.nextMonth}\n`
    const targets: Role[] = opts.first === 'web2' ? ['web2', 'web1'] : ['web1', 'web2']
    const deadline = Date.now() + (opts.deadlineMs ?? 120_000)
    for (let attempt = 0; Date.now() < deadline; attempt++) {
      const role = targets[attempt % 2]!
      try {
        const res = await fetch(
          `${this.cluster.url(role)}/api/v1/reports?contractId=${p.contractId}&period=${period}`,
          {
            method: 'POST',
            headers: { Authorization: `Bearer ${p.token}`, 'Content-Type': 'text/csv', 'Idempotency-Key': key },
            body,
            signal: AbortSignal.timeout(30_000),
          },
        )
        const text = await res.text()
        this.seen.add(String(res.status))
        if (res.status === 200 || res.status === 201) {
          this.acknowledged.set(key, (JSON.parse(text) as { reportId: string }).reportId)
          return key
        }
        if (res.status < 500 && res.status !== 429) {
          this.refused.push(`${key}: ${res.status} ${text.slice(0, 200)}`)
          return undefined
        }
      } catch (e) {
        this.seen.add(label(e))
      }
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 1000)))
    }
    throw new Error(`${key} was never acknowledged`)
  }

  async pageLoad(p: Partner, role: Role) {
    try {
      const res = await fetch(`${this.cluster.url(role)}/portal/${p.orgSlug}/reports`, {
        headers: { Cookie: p.cookie },
        signal: AbortSignal.timeout(30_000),
      })
      await res.arrayBuffer()
      this.seen.add(`page ${res.status}`)
    } catch (e) {
      this.seen.add(`page ${label(e)}`)
    }
  }

  /**
   * Every partner uploads report after report, GGML Cloud reports usage, partners pay open invoices and
   * one person loads pages, until stop().
   */
  start() {
    this.running = true
    this.seen = new Seen()
    this.loops = this.partners.map(async (p, i) => {
      while (this.running) {
        await this.upload(p, { first: i % 2 ? 'web2' : 'web1' })
        await new Promise((r) => setTimeout(r, 150))
      }
    })
    this.loops.push(
      (async () => {
        for (let i = 0; this.running; i++) {
          await this.reportUsage(i % 2 ? 'web2' : 'web1')
          await new Promise((r) => setTimeout(r, 150))
        }
      })(),
    )
    this.loops.push(
      (async () => {
        while (this.running) {
          await this.payOne()
          await new Promise((r) => setTimeout(r, 400))
        }
      })(),
    )
    this.loops.push(
      (async () => {
        for (let i = 0; this.running; i++) {
          await this.pageLoad(this.partners[0]!, i % 2 ? 'web2' : 'web1')
          await new Promise((r) => setTimeout(r, 250))
        }
      })(),
    )
  }

  /** Stops the clients; each finishes (gets acknowledged) the report it was sending. */
  async stop() {
    this.running = false
    await Promise.all(this.loops)
  }

  /** Stops the clients without waiting for what they were sending (the suite is ending). */
  halt() {
    this.running = false
    for (const loop of this.loops) loop.catch(() => {})
  }
}

export interface RawAnswer {
  status?: number
  headers?: http.IncomingHttpHeaders
  body: string
  error?: string
}

/**
 * A request on a raw socket, so a test can stream an oversized body, declare a size it never sends, or
 * vanish mid-upload. `write` sends body bytes; the answer settles when the server answers or the socket
 * ends.
 */
export function rawRequest(url: string, method: string, headers: Record<string, string | number>) {
  const req = http.request(url, { method, headers })
  const answer = new Promise<RawAnswer>((resolve) => {
    req.on('response', (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }))
      res.on('error', (e) => resolve({ status: res.statusCode, headers: res.headers, body, error: e.message }))
    })
    req.on('error', (e) => resolve({ body: '', error: e.message }))
  })
  return { req, answer }
}

/** Streams `bytes` of filler after `head`, then `tail`, stopping early when the server has answered. */
export async function pump(req: http.ClientRequest, head: string, bytes: number, tail = '', answered: () => boolean) {
  req.write(head)
  const chunk = Buffer.alloc(1 << 20, 'x')
  let sent = 0
  while (sent < bytes && !req.destroyed && !answered()) {
    sent += chunk.length
    if (!req.write(chunk)) await new Promise((r) => req.once('drain', r).once('close', r))
  }
  if (!req.destroyed) req.end(tail)
}
