import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalStripe, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { stripe as stripeApi } from '../../services/billing/stripe-client.ts'
import { db } from '../../services/platform/db/client.ts'
import { trainingRefundsTable } from '../../services/finance/training-refunds.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { now, resetClock, travelTo } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import {
  reconcileCheckouts,
  RECONCILE_AFTER_MINUTES,
  releaseLapsedCheckouts,
} from '../../services/training/expire-checkout.ts'
import { fulfilCheckout } from '../../services/training/fulfil-checkout.ts'
import { RESERVATION_MINUTES } from '../../services/training/reserve-promotion.ts'
import { startCheckout } from '../../services/training/start-checkout.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'
import { examFixture } from '../support/training.ts'

// Issue 30: money taken is always either fulfilled or returned; a promotion code's use is reserved
// when a checkout opens, not hoped for when the payment arrives.

let server: Awaited<ReturnType<typeof startAppServer>>
let stripe: LocalStripe
beforeAll(async () => {
  server = await startAppServer()
  stripe = await bootLocalStripe({ webhookUrl: `${server.url}/webhooks/stripe` })
})
afterAll(async () => {
  await drainJobs()
  await stripe.settled()
  await stripe.close()
  await server.close()
})
afterEach(() => resetClock())

// Twice: a job's own jobs (the refund's mail) are relayed by the second round.
const settle = async () => {
  await stripe.settled()
  await drainJobs()
  await drainJobs()
}

async function learner() {
  const org = await createOrganization('learner', unique('Learner'))
  const user = await createUser(org.id, 'learner')
  const scope = await tenantScope(await actorForUser(user.id), { id: org.id }, 'training.learn')
  return { org, user, scope }
}

async function promotion(maxRedemptions: number) {
  const code = unique('LAST').toUpperCase()
  await db().trainingPromotionCode.create({
    data: { code, percentOff: 25, maxRedemptions, expiresAt: new Date('2040-01-01') },
  })
  return code
}

const pay = (sessionUrl: string) => fetch(`${sessionUrl}/pay`, { method: 'POST', redirect: 'manual' })

/** Each organization's books: every entry balances, and what each account holds. */
async function books(organizationId: string) {
  const lines = await db().journalLine.findMany({
    where: { organizationId },
    include: { account: { select: { type: true } }, entry: { select: { id: true } } },
  })
  const perEntry = new Map<string, bigint>()
  const perAccount: Record<string, bigint> = {}
  for (const l of lines) {
    perEntry.set(l.entry.id, (perEntry.get(l.entry.id) ?? 0n) + l.debitMinor - l.creditMinor)
    perAccount[l.account.type] = (perAccount[l.account.type] ?? 0n) + l.debitMinor - l.creditMinor
  }
  return { unbalanced: [...perEntry.values()].filter((v) => v !== 0n).length, perAccount }
}

describe('a promotion code’s last use', () => {
  it('two checkouts opening at once for the last use: one opens, the other is told the code is used up', async () => {
    const { exam } = await examFixture()
    const code = await promotion(1)
    const a = await learner()
    const b = await learner()
    const results = await Promise.allSettled([
      startCheckout(a.scope, { product: 'exam', slug: exam.slug, promotionCode: code }),
      startCheckout(b.scope, { product: 'exam', slug: exam.slug, promotionCode: code }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(String(refused.reason)).toMatch(/unknown, expired or used up/)
    expect(await db().trainingPromotionRedemption.count({ where: { code, status: 'reserved' } })).toBe(1)
  })

  it('two paid checkouts race for the last use: one fulfilled, one refunded through Stripe and told why', async () => {
    const { exam } = await examFixture()
    const code = await promotion(1)
    const clock = travelTo(now())
    const a = await learner()
    const b = await learner()
    // A opens the checkout and holds the last use; the hold lapses unpaid, so B can take the use...
    const first = await startCheckout(a.scope, { product: 'exam', slug: exam.slug, promotionCode: code })
    clock.advance((RESERVATION_MINUTES + 1) * 60_000)
    const second = await startCheckout(b.scope, { product: 'exam', slug: exam.slug, promotionCode: code })
    // ...and both pay at once, A on the page it left open before the sweep expired it.
    const paid = await Promise.all([pay(first.url), pay(second.url)])
    expect(paid.map((r) => r.status)).toEqual([303, 303])
    await settle()

    const orderA = await db().trainingOrder.findUniqueOrThrow({ where: { id: first.orderId } })
    const orderB = await db().trainingOrder.findUniqueOrThrow({ where: { id: second.orderId } })
    expect(orderB).toMatchObject({ status: 'paid', amountMinor: 15_000n })
    expect(await db().examVoucher.count({ where: { orderId: orderB.id, status: 'available' } })).toBe(1)
    expect(orderA).toMatchObject({ status: 'refunded', refundReason: expect.stringMatching(/used up/) })
    expect(await db().examVoucher.count({ where: { userId: a.user.id } })).toBe(0)
    // The money went back through Stripe, in full, once.
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === orderA.paymentIntent)).toMatchObject([
      { amount: 15_000, status: 'succeeded' },
    ])
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === orderB.paymentIntent)).toHaveLength(0)
    // The learner is told why: by mail, and on their orders.
    const c = new HttpClient(server.url)
    await c.signIn(a.user.email, a.user.password)
    expect(await (await c.get(`/learn/${a.org.slug}`)).text()).toMatch(
      /Refunded automatically: (<!-- -->)?the promotion code/,
    )
    const mail = await db().mailMessage.findFirstOrThrow({ where: { to: a.user.email } })
    expect(mail.subject).toBe('Your training payment was refunded')
    expect(mail.text).toContain('was used up')
    expect(mail.text).toContain('$150.00')
    // The books: B's sale posted and balanced; nothing stays on A's books.
    expect(await books(b.org.id)).toEqual({ unbalanced: 0, perAccount: { cash: 15_000n, training_revenue: -15_000n } })
    expect((await books(a.org.id)).unbalanced).toBe(0)
    expect(Object.values((await books(a.org.id)).perAccount).every((v) => v === 0n)).toBe(true)
    expect(await db().trainingPromotionCode.findUniqueOrThrow({ where: { code } })).toMatchObject({ redeemed: 1 })
    // Finance sees the refund with its reason.
    const finance = await createUser((await ggmlOrganization()).id, 'finance')
    const refunds = await trainingRefundsTable(await actorForUser(finance.id))
    expect(refunds.rows.find((r) => r[4] === orderA.paymentIntent)).toEqual([
      expect.any(String),
      a.org.name,
      a.user.email,
      'exam',
      orderA.paymentIntent,
      expect.stringMatching(/^automatic: the promotion code .* was used up/),
      'USD',
      15_000n,
    ])
  })

  it('a checkout that ends unpaid gives its use back: by Stripe’s expiry event, or by the sweep', async () => {
    const { exam } = await examFixture()
    const code = await promotion(1)
    const a = await learner()
    const b = await learner()
    const first = await startCheckout(a.scope, { product: 'exam', slug: exam.slug, promotionCode: code })
    await expect(startCheckout(b.scope, { product: 'exam', slug: exam.slug, promotionCode: code })).rejects.toThrow(
      /used up/,
    )
    // The learner abandons it and Stripe expires the session: its signed event releases the use.
    const sessionId = first.url.split('/').at(-1)!
    await stripeApi().checkout.sessions.expire(sessionId)
    await settle()
    expect(await db().trainingOrder.findUniqueOrThrow({ where: { id: first.orderId } })).toMatchObject({
      status: 'expired',
    })
    const second = await startCheckout(b.scope, { product: 'exam', slug: exam.slug, promotionCode: code })
    // B's checkout lapses unpaid too: the sweep expires it at Stripe, so it can no longer be paid.
    const clock = travelTo(now())
    clock.advance((RESERVATION_MINUTES + 1) * 60_000)
    expect(await releaseLapsedCheckouts()).toBeGreaterThanOrEqual(1)
    expect(stripe.checkoutSessions.get(second.url.split('/').at(-1)!)!.status).toBe('expired')
    expect(
      await db().trainingPromotionRedemption.findUniqueOrThrow({ where: { orderId: second.orderId } }),
    ).toMatchObject({
      status: 'released',
    })
    expect((await pay(second.url)).status).toBe(400)
  })
})

describe('a payment that cannot be fulfilled', () => {
  it('is refunded automatically when what it bought is no longer offered', async () => {
    const { course, exam } = await examFixture()
    const bundle = await db().trainingBundle.create({
      data: {
        id: newId(),
        slug: unique('bundle'),
        title: 'Course and exam',
        summary: 'Both',
        courseId: course.id,
        examId: exam.id,
        priceMinor: 60_000n,
        published: true,
      },
    })
    const a = await learner()
    const checkout = await startCheckout(a.scope, { product: 'bundle', slug: bundle.slug })
    await db().trainingBundle.delete({ where: { id: bundle.id } })
    await pay(checkout.url)
    await settle()
    const order = await db().trainingOrder.findUniqueOrThrow({ where: { id: checkout.orderId } })
    expect(order).toMatchObject({ status: 'refunded', refundReason: expect.stringMatching(/no longer offered/) })
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === order.paymentIntent)).toMatchObject([
      { amount: 60_000 },
    ])
    expect(await db().enrolment.count({ where: { userId: a.user.id } })).toBe(0)
  })

  it('is retried while the failure may pass, and refunded on the job’s last attempt whatever the failure', async () => {
    const { exam } = await examFixture()
    const a = await learner()
    const checkout = await startCheckout(a.scope, { product: 'exam', slug: exam.slug })
    // Something the grant cannot get past: a voucher already tied to this order (its unique key refuses a second).
    await db().examVoucher.create({
      data: {
        id: newId(),
        organizationId: a.org.id,
        examId: exam.id,
        userId: null,
        orderId: checkout.orderId,
        status: 'revoked',
        expiresAt: new Date('2040-01-01'),
      },
    })
    const sessionId = checkout.url.split('/').at(-1)!
    // Paid at Stripe; the grant is driven here, attempt by attempt, as the job would retry it.
    await pay(checkout.url)
    const session = stripe.checkoutSessions.get(sessionId)!
    await expect(fulfilCheckout(sessionId)).rejects.toThrow()
    expect(await db().trainingOrder.findUniqueOrThrow({ where: { id: checkout.orderId } })).toMatchObject({
      status: 'open',
    })
    expect(await fulfilCheckout(sessionId, { lastAttempt: true })).toBe('refunded')
    const order = await db().trainingOrder.findUniqueOrThrow({ where: { id: checkout.orderId } })
    expect(order).toMatchObject({ status: 'refunded', refundReason: 'we could not complete the order' })
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === session.payment_intent)).toMatchObject([
      { amount: 20_000 },
    ])
    // A replay after the refund changes nothing and refunds nothing more.
    expect(await fulfilCheckout(sessionId, { lastAttempt: true })).toBe('done')
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === session.payment_intent)).toHaveLength(1)
  })
})

describe('a refund that fails half-way, a fulfilment Stripe never lets through, a learner renewing checkouts', () => {
  it('Stripe refunded but the order could not be marked refunded: a retried fulfil job never grants it', async () => {
    const { exam } = await examFixture()
    const a = await learner()
    const checkout = await startCheckout(a.scope, { product: 'exam', slug: exam.slug })
    const sessionId = checkout.url.split('/').at(-1)!
    // A failure the grant cannot get past on its last attempt (a voucher already tied to the order)...
    const planted = await db().examVoucher.create({
      data: {
        id: newId(),
        organizationId: a.org.id,
        examId: exam.id,
        userId: null,
        orderId: checkout.orderId,
        status: 'revoked',
        expiresAt: new Date('2040-01-01'),
      },
    })
    await pay(checkout.url)
    await stripe.settled()
    // ...while another transaction holds the audit chain's lock (services/platform/audit/record-audit-event.ts) past
    // Prisma's 5 s transaction timeout, so the transaction recording the refund fails after Stripe refunded.
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    let holding!: () => void
    const locked = new Promise<void>((r) => (holding = r))
    const holder = db().$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${0x6a4d4c01})`
        holding()
        await held
      },
      { timeout: 60_000 },
    )
    await locked
    const refunds = () => [...stripe.refunds.values()].filter((r) => r.metadata.order_id === checkout.orderId)
    const fulfilling = fulfilCheckout(sessionId, { lastAttempt: true }).catch(() => 'failed')
    while (!refunds().length) await new Promise((r) => setTimeout(r, 20))
    await new Promise((r) => setTimeout(r, 6_000))
    release()
    await holder
    const outcome = await fulfilling
    expect(outcome).not.toBe('granted')
    expect(refunds()).toHaveLength(1)
    // The obstacle goes away; the fulfil job is retried (and the webhook's own job runs): nothing is granted.
    await db().examVoucher.delete({ where: { id: planted.id } })
    expect(await fulfilCheckout(sessionId)).toBe('done')
    await settle()
    const order = await db().trainingOrder.findUniqueOrThrow({ where: { id: checkout.orderId } })
    expect(order).toMatchObject({ status: 'refunded', refundReason: 'we could not complete the order' })
    expect(await db().examVoucher.count({ where: { orderId: order.id } })).toBe(0)
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === order.paymentIntent)).toMatchObject([
      { amount: 20_000, status: 'succeeded' },
    ])
    expect(await db().mailMessage.count({ where: { to: a.user.email } })).toBe(1)
  })

  it('Stripe is down for every attempt of the fulfil job: the sweep fulfils the paid checkout, once', async () => {
    const { exam } = await examFixture()
    const a = await learner()
    const checkout = await startCheckout(a.scope, { product: 'exam', slug: exam.slug })
    const sessionId = checkout.url.split('/').at(-1)!
    await pay(checkout.url)
    await stripe.settled()
    // Every one of the job's five attempts fails reading the session back.
    stripe.failNext(1_000)
    for (let attempt = 1; attempt <= 5; attempt++)
      await expect(fulfilCheckout(sessionId, { lastAttempt: attempt === 5 })).rejects.toThrow()
    stripe.failNext(0)
    expect(await db().trainingOrder.findUniqueOrThrow({ where: { id: checkout.orderId } })).toMatchObject({
      status: 'open',
    })
    const clock = travelTo(now())
    clock.advance((RECONCILE_AFTER_MINUTES + 1) * 60_000)
    expect((await reconcileCheckouts())[checkout.orderId]).toBe('granted')
    expect((await reconcileCheckouts())[checkout.orderId]).toBeUndefined()
    await settle()
    expect(await db().trainingOrder.findUniqueOrThrow({ where: { id: checkout.orderId } })).toMatchObject({
      status: 'paid',
    })
    expect(await db().examVoucher.count({ where: { orderId: checkout.orderId, status: 'available' } })).toBe(1)
    expect([...stripe.refunds.values()].filter((r) => r.metadata.order_id === checkout.orderId)).toHaveLength(0)
  })

  it('a learner renewing unpaid checkouts with a code holds one use of it; others can still use it', async () => {
    const { exam } = await examFixture()
    const code = await promotion(2)
    const a = await learner()
    const clock = travelTo(now())
    const checkouts = []
    for (let i = 0; i < 3; i++) {
      checkouts.push(await startCheckout(a.scope, { product: 'exam', slug: exam.slug, promotionCode: code }))
      clock.advance(10 * 60_000)
    }
    expect(await db().trainingPromotionRedemption.count({ where: { code, status: 'reserved' } })).toBe(1)
    const b = await learner()
    await startCheckout(b.scope, { product: 'exam', slug: exam.slug, promotionCode: code })
    const c = await learner()
    await expect(startCheckout(c.scope, { product: 'exam', slug: exam.slug, promotionCode: code })).rejects.toThrow(
      /used up/,
    )
    // The checkouts the learner replaced end unpaid at Stripe; the latest is still theirs to pay.
    await settle()
    const status = (x: { url: string }) => stripe.checkoutSessions.get(x.url.split('/').at(-1)!)!.status
    expect(checkouts.map(status)).toEqual(['expired', 'expired', 'open'])
    expect((await pay(checkouts[2]!.url)).status).toBe(303)
    await settle()
    expect(await db().trainingOrder.findUniqueOrThrow({ where: { id: checkouts[2]!.orderId } })).toMatchObject({
      status: 'paid',
      amountMinor: 15_000n,
    })
  })
})
