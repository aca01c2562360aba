import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bootLocalStripe, type LocalStripe } from '../../fakes/stripe/local-stripe.ts'
import { db } from '../../services/platform/db/client.ts'
import { createEngagement } from '../../services/engagements/create-engagement.ts'
import { decideSignedException } from '../../services/engagements/decide-signed-exception.ts'
import { requestSignedException } from '../../services/engagements/request-signed-exception.ts'
import { setEngagementStatus } from '../../services/engagements/set-engagement-status.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { assignSeat } from '../../services/training/assign-seat.ts'
import { choiceValue } from '../../services/training/choice-values.ts'
import { decideExamApproval } from '../../services/training/decide-exam-approval.ts'
import { decideSeatPack } from '../../services/training/decide-seat-pack.ts'
import { requestAccommodation } from '../../services/training/request-accommodation.ts'
import { requestCertificateRevocation } from '../../services/training/request-certificate-revocation.ts'
import { saveAnswer } from '../../services/training/save-answer.ts'
import { sellSeatPack } from '../../services/training/sell-seat-pack.ts'
import { startAttempt } from '../../services/training/start-attempt.ts'
import { submitAttempt } from '../../services/training/submit-attempt.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, ggmlOrganization, unique, verifiedDomain } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { drainJobs } from '../support/jobs.ts'
import { examFixture, giveVoucher } from '../support/training.ts'

// Issue 30, "four eyes where the business expects them": each test first has one person try alone.

let server: Awaited<ReturnType<typeof startAppServer>>
let stripe: LocalStripe
beforeAll(async () => {
  server = await startAppServer()
  stripe = await bootLocalStripe({ webhookUrl: `${server.url}/webhooks/stripe` })
})
afterAll(async () => {
  // Seat packs' invoices run here, while this file's Stripe server is up.
  await drainJobs()
  await stripe.settled()
  await stripe.close()
  await server.close()
})

const audited = (action: string, targetId: string) => db().auditEvent.count({ where: { action, targetId } })

/** The page as this person sees it (signed in through the real sign-in, second factor included). */
async function pageAs(user: { email: string; password: string }, path: string) {
  const c = new HttpClient(server.url)
  await c.signIn(user.email, user.password)
  const res = await c.get(path)
  expect(res.status).toBe(200)
  return res.text()
}

describe('an engagement becomes signed through its signed statement of work', () => {
  it('the services lead alone cannot mark it signed; an exception recorded by one is approved by another', async () => {
    const ggml = await ggmlOrganization()
    const customer = await createOrganization('oem_partner', unique('Signed Co'))
    const lead = await createUser(ggml.id, 'services_lead')
    const { id } = await createEngagement(await actorForUser(lead.id), {
      organizationId: customer.id,
      title: 'Kernels',
      type: 'fixed_price',
      currency: 'USD',
      startsOn: '2027-03-01',
      endsOn: '2027-06-30',
      leadEmail: lead.email,
      budgetHours: 100,
      budget: '30000',
      team: '',
    })
    const manage = await scopeFor(lead.id, customer.id, 'services.manage')
    await expect(setEngagementStatus(manage, { engagementId: id, to: 'signed' })).rejects.toThrow(
      /becomes signed when both parties sign its statement of work/,
    )
    await requestSignedException(manage, { engagementId: id, reason: 'Signed on paper on 1 March, copy filed.' })
    // Asking and approving are two people.
    await expect(
      decideSignedException(await scopeFor(lead.id, customer.id, 'engagements.view'), {
        engagementId: id,
        decision: 'approve',
      }),
    ).rejects.toThrow(/someone else approves it/)
    expect(await db().engagement.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'draft' })
    // The database holds the line too.
    await expect(
      db().engagement.update({ where: { id }, data: { signedExceptionApprovedById: lead.id } }),
    ).rejects.toThrow(/Engagement_signed_exception_check/)
    // Finance cannot approve it (they do not run services); a ggml admin can.
    const finance = await createUser(ggml.id, 'finance')
    await expect(
      decideSignedException(await scopeFor(finance.id, customer.id, 'engagements.view'), {
        engagementId: id,
        decision: 'approve',
      }),
    ).rejects.toThrow(/Another services lead or a ggml admin/)
    const admin = await createUser(ggml.id, 'ggml_admin')
    // The page shows the request to both: the approval to the second person only.
    expect(await pageAs(lead, `/services/engagements/${id}`)).toContain('You recorded it')
    const adminPage = await pageAs(admin, `/services/engagements/${id}`)
    expect(adminPage).toContain('Signed on paper on 1 March, copy filed.')
    expect(adminPage).toContain('Approve: mark signed')
    await decideSignedException(await scopeFor(admin.id, customer.id, 'engagements.view'), {
      engagementId: id,
      decision: 'approve',
    })
    expect(await db().engagement.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'signed',
      statusReason: 'Signed outside the platform: Signed on paper on 1 March, copy filed.',
      signedExceptionApprovedById: admin.id,
    })
    expect(await audited('engagement.signed_exception_requested', id)).toBe(1)
    expect(await audited('engagement.signed_exception_approved', id)).toBe(1)
  })
})

describe('exam accommodations and certificate revocations', () => {
  it('an instructor who is also the candidate cannot approve their own extra time (attacker review)', async () => {
    const { exam } = await examFixture()
    const ggml = await ggmlOrganization()
    const asker = await createUser(ggml.id, 'instructor')
    const candidateInstructor = await createUser(ggml.id, 'instructor')
    // The second instructor also sits the exam, from a learner account of their own.
    const org = await createOrganization('learner', unique('Learner'))
    await db().membership.create({
      data: { id: unique('m'), userId: candidateInstructor.id, organizationId: org.id, role: 'learner' },
    })
    const request = await requestAccommodation(await actorForUser(asker.id), {
      email: candidateInstructor.email,
      examSlug: exam.slug,
      extraMinutes: 600,
      reason: 'Asked by a colleague.',
    })
    await expect(
      decideExamApproval(await actorForUser(candidateInstructor.id), { requestId: request.id, decision: 'approve' }),
    ).rejects.toThrow(/about your own exam/)
    expect(await db().examAccommodation.count({ where: { userId: candidateInstructor.id } })).toBe(0)
  })

  it('one instructor alone grants no extra time: a second instructor approves it', async () => {
    const { exam } = await examFixture()
    const ggml = await ggmlOrganization()
    const asker = await createUser(ggml.id, 'instructor')
    const second = await createUser(ggml.id, 'instructor')
    const org = await createOrganization('learner', unique('Learner'))
    const candidate = await createUser(org.id, 'learner')
    const askerActor = await actorForUser(asker.id)
    const request = await requestAccommodation(askerActor, {
      email: candidate.email,
      examSlug: exam.slug,
      extraMinutes: 600,
      reason: 'Medical letter seen on file.',
    })
    expect(await db().examAccommodation.count({ where: { userId: candidate.id } })).toBe(0)
    await expect(decideExamApproval(askerActor, { requestId: request.id, decision: 'approve' })).rejects.toThrow(
      /You asked for this/,
    )
    await expect(
      requestAccommodation(askerActor, {
        email: candidate.email,
        examSlug: exam.slug,
        extraMinutes: 60,
        reason: 'Asking again.',
      }),
    ).rejects.toThrow(/already waiting/)
    await expect(
      db().examApprovalRequest.update({
        where: { id: request.id },
        data: { decidedById: asker.id, decision: 'approved', decidedAt: new Date() },
      }),
    ).rejects.toThrow(/ExamApprovalRequest_four_eyes_check/)
    expect(await pageAs(asker, '/training')).toContain('You asked: someone else decides.')
    const secondPage = await pageAs(second, '/training')
    expect(secondPage).toContain(`600 extra minutes for ${candidate.email}`)
    expect(secondPage).toMatch(/name="requestId" value="[^"]+"/)
    await decideExamApproval(await actorForUser(second.id), { requestId: request.id, decision: 'approve' })
    expect(await db().examAccommodation.findFirstOrThrow({ where: { userId: candidate.id } })).toMatchObject({
      extraMinutes: 600,
      approvedById: second.id,
    })
    expect(await audited('exam.accommodation_requested', request.id)).toBe(1)
    expect(await db().auditEvent.count({ where: { action: 'exam.accommodation_approve' } })).toBeGreaterThan(0)
  })

  it('one instructor alone revokes no certificate: an admin approves; a declined request changes nothing', async () => {
    const { exam } = await examFixture({ need: 2 })
    const ggml = await ggmlOrganization()
    const asker = await createUser(ggml.id, 'instructor')
    const admin = await createUser(ggml.id, 'ggml_admin')
    const org = await createOrganization('learner', unique('Learner'))
    const candidate = await createUser(org.id, 'learner')
    await giveVoucher(org.id, candidate.id, exam.id)
    const scope = await tenantScope(await actorForUser(candidate.id), { id: org.id }, 'training.learn')
    const attempt = await startAttempt(scope, { examSlug: exam.slug })
    const items = await db().examAttemptItem.findMany({ where: { attemptId: attempt.id } })
    for (const i of items)
      await saveAnswer(scope, {
        attemptId: attempt.id,
        position: i.position,
        answer: [choiceValue(attempt.id, i.position, 'a')],
      })
    await submitAttempt(scope, { attemptId: attempt.id })
    const certificate = await db().certificate.findUniqueOrThrow({ where: { attemptId: attempt.id } })
    const askerActor = await actorForUser(asker.id)
    const first = await requestCertificateRevocation(askerActor, {
      certificateId: certificate.id,
      reason: 'Proctor report: notes used.',
    })
    await expect(decideExamApproval(askerActor, { requestId: first.id, decision: 'approve' })).rejects.toThrow(
      /You asked for this/,
    )
    await decideExamApproval(await actorForUser(admin.id), { requestId: first.id, decision: 'decline' })
    expect(await db().certificate.findUniqueOrThrow({ where: { id: certificate.id } })).toMatchObject({
      revokedAt: null,
    })
    const second = await requestCertificateRevocation(askerActor, {
      certificateId: certificate.id,
      reason: 'Proctor video confirms notes were used.',
    })
    await decideExamApproval(await actorForUser(admin.id), { requestId: second.id, decision: 'approve' })
    expect(await db().certificate.findUniqueOrThrow({ where: { id: certificate.id } })).toMatchObject({
      revokedAt: expect.any(Date),
      revokedReason: 'Proctor video confirms notes were used.',
    })
    expect(await audited('certificate.revoke', certificate.id)).toBe(1)
  })
})

describe('seat packs', () => {
  async function company() {
    const { course, exam } = await examFixture()
    const org = await createOrganization('enterprise', unique('Seats'))
    const admin = await createUser(org.id, 'partner_admin')
    const ggml = await ggmlOrganization()
    const seller = await createUser(ggml.id, 'finance')
    const sell = await tenantScope(await actorForUser(seller.id), { id: org.id }, 'portal.view')
    return { course, exam, org, admin, seller, sell }
  }

  it('a pack at $0.00 is refused with a 422 naming the price, not a 500', async () => {
    const { course, exam, org, seller } = await company()
    const c = new HttpClient(server.url)
    await c.signIn(seller.email, seller.password)
    const res = await c.post(`/portal/${org.slug}/training`, {
      intent: 'sell',
      courseSlug: course.slug,
      examSlug: exam.slug,
      seats: '2',
      price: '0.00',
    })
    expect(res.status).toBe(422)
    expect(await res.text()).toContain('never free')
    expect(await db().trainingSeatPack.count({ where: { organizationId: org.id } })).toBe(0)
  })

  it('a pack under the floor waits unposted for a second finance person; its seller cannot approve it', async () => {
    const { course, exam, org, admin, seller, sell } = await company()
    const sold = await sellSeatPack(sell, { courseSlug: course.slug, examSlug: exam.slug, seats: 2, price: '0.01' })
    expect(sold).toMatchObject({ pendingApproval: true, journalEntryId: null })
    expect(await db().journalEntry.count({ where: { organizationId: org.id } })).toBe(0)
    const adminScope = await tenantScope(await actorForUser(admin.id), { id: org.id }, 'training.manage_seats')
    await expect(assignSeat(adminScope, { packId: sold.packId, email: admin.email })).rejects.toThrow(
      /waiting for ggml finance/,
    )
    await expect(decideSeatPack(sell, { packId: sold.packId, decision: 'approve' })).rejects.toThrow(/You sold/)
    await expect(
      db().trainingSeatPack.update({ where: { id: sold.packId }, data: { decidedById: seller.id } }),
    ).rejects.toThrow(/TrainingSeatPack_four_eyes_check/)
    const other = await createUser((await ggmlOrganization()).id, 'finance')
    expect(await pageAs(seller, `/portal/${org.slug}/training`)).toContain('You sold it')
    expect(await pageAs(other, `/portal/${org.slug}/training`)).toContain('Approve price')
    const approve = await tenantScope(await actorForUser(other.id), { id: org.id }, 'portal.view')
    const { journalEntryId } = await decideSeatPack(approve, { packId: sold.packId, decision: 'approve' })
    const entry = await db().journalEntry.findUniqueOrThrow({
      where: { id: journalEntryId! },
      include: { lines: { include: { account: { select: { type: true } } } } },
    })
    expect(entry.lines.reduce((s, l) => s + l.debitMinor, 0n)).toBe(1n)
    // Training's own receivable, not royalties' (issue 30: a chart of accounts that says what it holds).
    expect(entry.lines.map((l) => [l.account.type, l.debitMinor, l.creditMinor])).toEqual([
      ['training_receivable', 1n, 0n],
      ['training_revenue', 0n, 1n],
    ])
    expect(entry.lines.reduce((s, l) => s + l.debitMinor - l.creditMinor, 0n)).toBe(0n)
    await assignSeat(adminScope, { packId: sold.packId, email: admin.email })
    expect(await audited('training.seats_price_approved', sold.packId)).toBe(1)
    // At or above the floor ($250 a seat), a pack is posted and invoiced at once, as before.
    const fair = await sellSeatPack(sell, { courseSlug: course.slug, examSlug: exam.slug, seats: 2, price: '500' })
    expect(fair).toMatchObject({ pendingApproval: false, journalEntryId: expect.any(String) })
  })

  it('seats go to the company’s members or addresses at its verified domains, never anyone else', async () => {
    const { course, exam, org, admin, sell } = await company()
    const domain = await verifiedDomain(org.id)
    const sold = await sellSeatPack(sell, { courseSlug: course.slug, examSlug: exam.slug, seats: 5, price: '5000' })
    const adminScope = await tenantScope(await actorForUser(admin.id), { id: org.id }, 'training.manage_seats')
    await expect(
      assignSeat(adminScope, { packId: sold.packId, email: `${unique('friend')}@gmail.example` }),
    ).rejects.toThrow(/not one of/)
    // A domain another company verified is not this one's.
    const elsewhere = await verifiedDomain((await createOrganization('enterprise', unique('Other'))).id)
    await expect(assignSeat(adminScope, { packId: sold.packId, email: `bob@${elsewhere}` })).rejects.toThrow(
      /not one of/,
    )
    // A member at an outside address whom the company's identity provider suspended (SCIM) is not its people.
    const suspended = await createUser(org.id, 'learner', `${unique('ex')}@gmail.example`)
    await db().membership.updateMany({
      where: { userId: suspended.id, organizationId: org.id },
      data: { deactivatedAt: new Date() },
    })
    await expect(assignSeat(adminScope, { packId: sold.packId, email: suspended.email })).rejects.toThrow(/not one of/)
    expect(await db().trainingSeat.count({ where: { packId: sold.packId } })).toBe(0)
    await assignSeat(adminScope, { packId: sold.packId, email: `new.hire@${domain}` })
    await assignSeat(adminScope, { packId: sold.packId, email: admin.email })
    expect(await db().trainingSeat.count({ where: { packId: sold.packId } })).toBe(2)
  })
})
