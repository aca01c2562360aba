import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalStripe, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { db } from '../../services/platform/db/client.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { resetClock, travelTo } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { assignSeat, releaseSeat } from '../../services/training/assign-seat.ts'
import { closeExpiredAttempts } from '../../services/training/close-expired-attempts.ts'
import { correctItemKey } from '../../services/training/correct-item-key.ts'
import { fulfilCheckout } from '../../services/training/fulfil-checkout.ts'
import { reviewItem } from '../../services/training/review-item.ts'
import { authorItem } from '../../services/training/author-item.ts'
import { saveAnswer } from '../../services/training/save-answer.ts'
import { choiceValue } from '../../services/training/choice-values.ts'
import { sellSeatPack } from '../../services/training/sell-seat-pack.ts'
import { signUpLearner } from '../../services/training/sign-up-learner.ts'
import { startAttempt } from '../../services/training/start-attempt.ts'
import { submitAttempt } from '../../services/training/submit-attempt.ts'
import { teamTraining } from '../../services/training/team-training.ts'
import { verifyLearnerEmail } from '../../services/training/verify-learner-email.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'
import { EXPLANATION_MARKER, examFixture, giveVoucher } from '../support/training.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let stripe: LocalStripe
beforeAll(async () => {
  server = await startAppServer()
  stripe = await bootLocalStripe({ webhookUrl: `${server.url}/webhooks/stripe` })
})
afterAll(async () => {
  // Seat packs' invoices and result mails run here, while this file's Stripe server is up.
  await drainJobs()
  await stripe.settled()
  await stripe.close()
  await server.close()
})
afterEach(() => resetClock())

async function learner(orgKind: 'learner' | 'enterprise' = 'learner') {
  const org = await createOrganization(orgKind, unique('Learner'))
  const user = await createUser(org.id, 'learner')
  const scope = await tenantScope(await actorForUser(user.id), { id: org.id }, 'training.learn')
  return { org, user, scope }
}

/** Answers every item: right (the key) for the first `right` positions, wrong after (the examiner knows the values). */
async function answerAll(scope: Awaited<ReturnType<typeof learner>>['scope'], attemptId: string, right: number) {
  const items = await db().examAttemptItem.findMany({ where: { attemptId }, orderBy: { position: 'asc' } })
  for (const i of items)
    await saveAnswer(scope, {
      attemptId,
      position: i.position,
      answer: [choiceValue(attemptId, i.position, i.position < right ? 'a' : 'b')],
    })
}

describe('exam attempts', () => {
  it('never sends a key or an explanation to the candidate: page, data, answers or result', async () => {
    const { exam } = await examFixture()
    const { org, user, scope } = await learner()
    await giveVoucher(org.id, user.id, exam.id)
    const c = new HttpClient(server.url)
    await c.signIn(user.email, user.password)
    const start = await c.post(`/learn/${org.slug}`, { intent: 'start', examSlug: exam.slug })
    expect(start.status).toBe(302)
    const attemptPath = start.headers.get('location')!
    const attemptId = attemptPath.split('/').at(-1)!
    const bodies: string[] = []
    for (const path of [attemptPath, `${attemptPath}.data`, `/learn/${org.slug}`, `/learn/${org.slug}.data`]) {
      const res = await c.get(path)
      expect(res.status, path).toBe(200)
      bodies.push(await res.text())
    }
    const save = await c.post(attemptPath, { intent: 'answer', position: '0', answer: choiceValue(attemptId, 0, 'a') })
    bodies.push(await save.text())
    expect(save.status).toBe(200)
    expect(bodies[0]).toContain('alpha question')
    await answerAll(scope, attemptId, 4)
    await c.post(attemptPath, { intent: 'submit' })
    for (const path of [attemptPath, `${attemptPath}.data`]) bodies.push(await (await c.get(path)).text())
    expect(bodies.at(-2)).toContain('4 of 4 correct')
    for (const body of bodies) {
      expect(body).not.toContain(EXPLANATION_MARKER)
      expect(body).not.toMatch(/"key"|\\"key\\"|explanation|"correct":(true|false)/)
    }
  })

  it('refuses an answer after the deadline, and the deadline job submits what was saved by then', async () => {
    const { exam } = await examFixture({ minutes: 30 })
    const { org, user, scope } = await learner()
    const t0 = travelTo('2031-03-01T10:00:00Z')
    await giveVoucher(org.id, user.id, exam.id)
    const attempt = await startAttempt(scope, { examSlug: exam.slug })
    expect(attempt.deadline.toISOString()).toBe('2031-03-01T10:30:00.000Z')
    await answerAll(scope, attempt.id, 3)
    t0.travelTo('2031-03-01T10:30:01Z')
    await expect(
      saveAnswer(scope, { attemptId: attempt.id, position: 3, answer: [choiceValue(attempt.id, 3, 'a')] }),
    ).rejects.toThrow(/deadline or submission/)
    // The database refuses it too, whatever a caller checked.
    await expect(
      db().examAttemptItem.update({
        where: { attemptId_position: { attemptId: attempt.id, position: 3 } },
        data: { answer: ['a'], answeredAt: new Date('2031-03-01T10:30:01Z') },
      }),
    ).rejects.toThrow(/attempt is closed/)
    // Other files' attempts share this database and may expire by then too: this one must be among them.
    expect((await closeExpiredAttempts()).closed).toBeGreaterThanOrEqual(1)
    const closed = await db().examAttempt.findUniqueOrThrow({ where: { id: attempt.id } })
    expect(closed).toMatchObject({ status: 'submitted', submittedBy: 'deadline', correct: 3, total: 4, passed: true })
    expect(closed.submittedAt!.toISOString()).toBe('2031-03-01T10:30:00.000Z')
  })

  it('two concurrent submissions of one attempt: exactly one scores it, one certificate', async () => {
    const { exam } = await examFixture()
    const { org, user, scope } = await learner()
    await giveVoucher(org.id, user.id, exam.id)
    const attempt = await startAttempt(scope, { examSlug: exam.slug })
    await answerAll(scope, attempt.id, 4)
    const outcomes = await Promise.allSettled([
      submitAttempt(scope, { attemptId: attempt.id }),
      submitAttempt(scope, { attemptId: attempt.id }),
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    expect(String((outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(
      /already submitted/,
    )
    expect(await db().certificate.count({ where: { attemptId: attempt.id } })).toBe(1)
  })

  it('one active attempt per candidate, held by the database', async () => {
    const { exam } = await examFixture()
    const { org, user, scope } = await learner()
    await giveVoucher(org.id, user.id, exam.id)
    await giveVoucher(org.id, user.id, exam.id)
    const both = await Promise.allSettled([
      startAttempt(scope, { examSlug: exam.slug }),
      startAttempt(scope, { examSlug: exam.slug }),
    ])
    expect(both.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    expect(await db().examAttempt.count({ where: { userId: user.id, status: 'active' } })).toBe(1)
    expect(await db().examVoucher.count({ where: { userId: user.id, status: 'available' } })).toBe(1)
  })

  it('refuses a retake inside its waiting period, then allows the free retake', async () => {
    const { exam } = await examFixture()
    const { org, user, scope } = await learner()
    const clock = travelTo('2031-05-01T09:00:00Z')
    await giveVoucher(org.id, user.id, exam.id)
    const first = await startAttempt(scope, { examSlug: exam.slug })
    await answerAll(scope, first.id, 1)
    expect(await submitAttempt(scope, { attemptId: first.id })).toMatchObject({ passed: false, correct: 1 })
    clock.travelTo('2031-05-10T09:00:00Z')
    await expect(startAttempt(scope, { examSlug: exam.slug })).rejects.toThrow(
      /wait 14 days: you can retake from 2031-05-15/,
    )
    clock.travelTo('2031-05-15T09:00:01Z')
    const retake = await startAttempt(scope, { examSlug: exam.slug })
    expect(retake).toMatchObject({ number: 2, freeRetake: true, voucherId: null })
    // The retake's form repeats at most half of the first form (maxOverlapPercent 50).
    const seen = (await db().examAttemptItem.findMany({ where: { attemptId: first.id } })).map((i) => i.itemVersionId)
    const again = await db().examAttemptItem.findMany({ where: { attemptId: retake.id } })
    expect(again.filter((i) => seen.includes(i.itemVersionId)).length).toBeLessThanOrEqual(2)
  })

  it('a corrected key re-scores the attempts that drew it, revokes a lost pass and tells the candidate', async () => {
    const { exam, versions } = await examFixture({ perDomain: 2, need: 2 })
    const { org, user, scope } = await learner()
    await giveVoucher(org.id, user.id, exam.id)
    const attempt = await startAttempt(scope, { examSlug: exam.slug })
    await answerAll(scope, attempt.id, 3)
    expect(await submitAttempt(scope, { attemptId: attempt.id })).toMatchObject({ correct: 3, passed: true })
    const instructor = await createUser((await ggmlOrganization()).id, 'instructor')
    const answeredRight = await db().examAttemptItem.findFirstOrThrow({ where: { attemptId: attempt.id, position: 0 } })
    expect(versions).toContain(answeredRight.itemVersionId)
    const r = await correctItemKey(await actorForUser(instructor.id), {
      versionId: answeredRight.itemVersionId,
      key: ['c'],
      reason: 'Choice c is the right answer; the key was entered wrongly.',
    })
    expect(r).toEqual({ rescored: 1, changed: 1 })
    expect(await db().examAttempt.findUniqueOrThrow({ where: { id: attempt.id } })).toMatchObject({
      correct: 2,
      percent: 50,
      passed: false,
    })
    const cert = await db().certificate.findUniqueOrThrow({ where: { attemptId: attempt.id } })
    expect(cert.revokedAt).not.toBeNull()
    expect(await db().examKeyCorrection.count({ where: { itemVersionId: answeredRight.itemVersionId } })).toBe(1)
    await drainJobs()
    expect(await db().mailMessage.count({ where: { to: user.email, subject: { contains: 're-scored' } } })).toBe(1)
    const status = await (await fetch(`${server.url}/certificates/${cert.id}`)).text()
    expect(status).toContain('Revoked')
  })
})

describe('answers that carry no knowledge (issue 26)', () => {
  it('refuses "a" for every question and another candidate\'s values: no score, no certificate', async () => {
    const { exam } = await examFixture()
    // The examiner's candidate: every answer right, submitted through the page with its real values.
    const first = await learner()
    await giveVoucher(first.org.id, first.user.id, exam.id)
    const honest = await startAttempt(first.scope, { examSlug: exam.slug })
    await answerAll(first.scope, honest.id, 4)
    const honestValues = (
      await db().examAttemptItem.findMany({ where: { attemptId: honest.id }, orderBy: { position: 'asc' } })
    ).map((i) => choiceValue(honest.id, i.position, i.answer[0]!))

    const { org, user } = await learner()
    await giveVoucher(org.id, user.id, exam.id)
    const c = new HttpClient(server.url)
    await c.signIn(user.email, user.password)
    const start = await c.post(`/learn/${org.slug}`, { intent: 'start', examSlug: exam.slug })
    const attemptPath = start.headers.get('location')!
    const attemptId = attemptPath.split('/').at(-1)!
    // The page's values say nothing: none is a bank id, none repeats another attempt's.
    const page = await (await c.get(`${attemptPath}.data`)).text()
    for (const bankId of ['"a"', '"b"', '"c"', '"d"']) expect(page).not.toContain(bankId)
    for (const v of honestValues) expect(page).not.toContain(v)
    for (let position = 0; position < 4; position++) {
      for (const answer of ['a', honestValues[position]!]) {
        const res = await c.post(attemptPath, { intent: 'answer', position: String(position), answer })
        expect(res.status).toBe(422)
        expect(await res.text()).toContain('not one of this question')
      }
    }
    expect(await db().examAttemptItem.count({ where: { attemptId, answeredAt: { not: null } } })).toBe(0)
    await c.post(attemptPath, { intent: 'submit' })
    const result = await db().examAttempt.findUniqueOrThrow({
      where: { id: attemptId },
      include: { certificate: true },
    })
    expect([result.correct, result.passed, result.certificate]).toEqual([0, false, null])
  })
})

describe('item bank', () => {
  it('an item goes live only after a second instructor reviews it; its author cannot approve it', async () => {
    const { exam } = await examFixture()
    const ggml = await ggmlOrganization()
    const ines = await actorForUser((await createUser(ggml.id, 'instructor')).id)
    const rui = await actorForUser((await createUser(ggml.id, 'instructor')).id)
    const v = await authorItem(ines, {
      examSlug: exam.slug,
      domain: 'alpha',
      kind: 'single',
      stem: 'Which tool quantizes a GGUF?',
      choices: 'llama-quantize\nllama-bench\nllama-server',
      key: '1',
      explanation: 'It re-quantizes.',
      difficulty: '2',
    })
    await expect(reviewItem(ines, { versionId: v.versionId, decision: 'approve' })).rejects.toThrow(/second instructor/)
    await expect(
      db().examItemVersion.update({ where: { id: v.versionId }, data: { reviewerId: ines.userId } }),
    ).rejects.toThrow(/ExamItemVersion_reviewer_check/)
    expect(await reviewItem(rui, { versionId: v.versionId, decision: 'approve' })).toMatchObject({ state: 'live' })
    expect((await db().examItem.findUniqueOrThrow({ where: { id: v.itemId } })).liveVersionId).toBe(v.versionId)
    // Reviewed content is history: only a key correction may change it.
    await expect(
      db().examItemVersion.update({ where: { id: v.versionId }, data: { stem: 'Edited after review' } }),
    ).rejects.toThrow(/frozen/)
  })

  it('refuses an item whose key names no choice, with a message per field and nothing stored', async () => {
    const { exam } = await examFixture()
    const ines = await actorForUser((await createUser((await ggmlOrganization()).id, 'instructor')).id)
    const before = await db().examItem.count({ where: { examId: exam.id } })
    await expect(
      authorItem(ines, {
        examSlug: exam.slug,
        domain: 'alpha',
        kind: 'single',
        stem: 'A question with a bad key',
        choices: 'one\ntwo',
        key: '3',
        explanation: 'x',
        difficulty: '2',
      }),
    ).rejects.toThrow(/numbered 1 to 2/)
    expect(await db().examItem.count({ where: { examId: exam.id } })).toBe(before)
  })
})

describe('buying through Stripe Checkout', () => {
  const settle = async () => {
    await stripe.settled()
    await drainJobs()
  }

  it('grants a voucher only after the verified webhook, applies a promotion code, refunds it', async () => {
    const { exam } = await examFixture()
    const { org, user } = await learner()
    await db().trainingPromotionCode.create({
      data: {
        code: unique('SAVE').toUpperCase(),
        percentOff: 25,
        maxRedemptions: 1,
        expiresAt: new Date('2040-01-01'),
      },
    })
    const code = (await db().trainingPromotionCode.findFirstOrThrow({ orderBy: { createdAt: 'desc' } })).code
    const c = new HttpClient(server.url)
    await c.signIn(user.email, user.password)
    const buy = await c.post(`/learn/${org.slug}`, {
      intent: 'buy',
      product: 'exam',
      slug: exam.slug,
      promotionCode: code,
    })
    expect(buy.status).toBe(302)
    const checkoutUrl = buy.headers.get('location')!
    expect(checkoutUrl.startsWith(stripe.apiBase)).toBe(true)
    const session = stripe.checkoutSessions.get(checkoutUrl.split('/').at(-1)!)!
    expect(session.amount_total).toBe(15_000) // $200 less 25%
    expect(await db().examVoucher.count({ where: { userId: user.id } })).toBe(0)
    const paid = await fetch(`${checkoutUrl}/pay`, { method: 'POST', redirect: 'manual' })
    expect(paid.status).toBe(303)
    await settle()
    const order = await db().trainingOrder.findFirstOrThrow({ where: { userId: user.id } })
    expect(order).toMatchObject({ status: 'paid', amountMinor: 15_000n, discountMinor: 5_000n, promotionCode: code })
    expect(await db().examVoucher.count({ where: { userId: user.id, status: 'available' } })).toBe(1)
    // The sale is on the books: cash through Stripe against training revenue, $150.
    const booked = async () =>
      (
        await db().journalLine.findMany({
          where: { organizationId: org.id },
          include: { account: { select: { type: true } } },
        })
      ).reduce<Record<string, bigint>>((m, l) => {
        m[l.account.type] = (m[l.account.type] ?? 0n) + l.debitMinor - l.creditMinor
        return m
      }, {})
    expect(await booked()).toEqual({ cash: 15_000n, training_revenue: -15_000n })
    // A replayed event grants nothing more.
    expect(await fulfilCheckout(session.id)).toBe('done')
    expect(await db().examVoucher.count({ where: { userId: user.id } })).toBe(1)
    // The code was good for one redemption.
    const again = await c.post(`/learn/${org.slug}`, {
      intent: 'buy',
      product: 'exam',
      slug: exam.slug,
      promotionCode: code,
    })
    expect(again.status).toBe(422)
    expect(await again.text()).toContain('unknown, expired or used up')

    const refund = await c.post(`/learn/${org.slug}`, { intent: 'refund', orderId: order.id })
    expect(refund.status).toBe(200)
    expect(await db().examVoucher.findFirstOrThrow({ where: { orderId: order.id } })).toMatchObject({
      status: 'refunded',
    })
    // The refund reverses the sale's posting; nothing is edited.
    expect(await booked()).toEqual({ cash: 0n, training_revenue: 0n })
    expect(await db().journalEntry.count({ where: { organizationId: org.id, kind: 'reversal' } })).toBe(1)
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === order.paymentIntent)).toMatchObject([
      { amount: 15_000 },
    ])
  })

  it('refuses to refund a voucher whose exam has started, and changes nothing', async () => {
    const { exam } = await examFixture()
    const { org, user, scope } = await learner()
    const c = new HttpClient(server.url)
    await c.signIn(user.email, user.password)
    const buy = await c.post(`/learn/${org.slug}`, { intent: 'buy', product: 'exam', slug: exam.slug })
    await fetch(`${buy.headers.get('location')!}/pay`, { method: 'POST', redirect: 'manual' })
    await settle()
    await startAttempt(scope, { examSlug: exam.slug })
    const order = await db().trainingOrder.findFirstOrThrow({ where: { userId: user.id } })
    const res = await c.post(`/learn/${org.slug}`, { intent: 'refund', orderId: order.id })
    expect(res.status).toBe(409)
    expect(await res.text()).toContain('can no longer be refunded')
    expect(await db().trainingOrder.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: 'paid' })
    expect([...stripe.refunds.values()].filter((r) => r.payment_intent === order.paymentIntent)).toHaveLength(0)
  })
})

describe('learners and companies', () => {
  it('a learner signs up, confirms the emailed link and gets their own training account', async () => {
    const email = `${unique('dev')}@example.test`
    await signUpLearner({ name: 'Dev Eloper', email, password: 'a long enough password' }, '127.0.0.1')
    expect(await db().user.count({ where: { email } })).toBe(0)
    const mail = await db().mailMessage.findFirstOrThrow({ where: { to: email } })
    const token = mail.text.match(/signup\/verify\/([\w-]+)/)![1]!
    const r = await verifyLearnerEmail(token, {})
    const user = await db().user.findUniqueOrThrow({
      where: { email },
      include: { memberships: { include: { organization: true } } },
    })
    expect(user.memberships).toMatchObject([{ role: 'learner', organization: { kind: 'learner', slug: r.orgSlug } }])
    await expect(verifyLearnerEmail(token, {})).rejects.toThrow(/used or expired/)
  })

  it('the confirmation mail, to an address nobody has proven, carries none of the words the sender typed', async () => {
    const email = `${unique('victim')}@example.test`
    const name = 'Your ggml invoice is overdue: pay it at https://evil.example/pay today'
    await signUpLearner({ name, email, password: 'a long enough password' }, '127.0.0.2')
    const mail = await db().mailMessage.findFirstOrThrow({ where: { to: email } })
    for (const part of [mail.subject, mail.text, mail.html]) expect(part).not.toMatch(/evil\.example|overdue/)
  })

  it('a company buys seats on invoice, its admin assigns one, and sees the employee’s result', async () => {
    const { course, exam } = await examFixture()
    const company = await createOrganization('enterprise', unique('Acme'))
    const admin = await createUser(company.id, 'partner_admin')
    const employee = await createUser(company.id, 'learner')
    const finance = await createUser((await ggmlOrganization()).id, 'finance')
    const sold = await sellSeatPack(
      await tenantScope(await actorForUser(finance.id), { id: company.id }, 'portal.view'),
      {
        courseSlug: course.slug,
        examSlug: exam.slug,
        seats: 1,
        price: '50000',
      },
    )
    const entry = await db().journalEntry.findUniqueOrThrow({
      where: { id: sold.journalEntryId! },
      include: { lines: true },
    })
    expect(entry.kind).toBe('training_invoice')
    expect(entry.lines.reduce((s, l) => s + l.debitMinor - l.creditMinor, 0n)).toBe(0n)
    const adminScope = await tenantScope(await actorForUser(admin.id), { id: company.id }, 'training.manage_seats')
    const seat = await assignSeat(adminScope, { packId: sold.packId, email: employee.email })
    await expect(
      assignSeat(adminScope, { packId: sold.packId, email: `${unique('other')}@example.test` }),
    ).rejects.toThrow(/All 1 seats are assigned/)
    const scope = await tenantScope(await actorForUser(employee.id), { id: company.id }, 'training.learn')
    const attempt = await startAttempt(scope, { examSlug: exam.slug })
    await answerAll(scope, attempt.id, 4)
    await submitAttempt(scope, { attemptId: attempt.id })
    const [pack] = await teamTraining(adminScope)
    expect(pack!.people).toMatchObject([
      {
        email: employee.email,
        voucher: 'used',
        lastAttempt: { passed: true, percent: 100 },
        certificateId: expect.any(String),
      },
    ])
    await expect(releaseSeat(adminScope, { seatId: seat.id })).rejects.toThrow(/cannot be taken back/)
  })
})
