import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { draftContract } from '../../services/contracts/draft-contract.ts'
import { submitForApproval } from '../../services/contracts/submit-for-approval.ts'
import { proposeGrant } from '../../services/credits/propose-grant.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { countInbox, hasInbox, listInbox } from '../../services/inbox/list-inbox.ts'
import { requestAdjustment } from '../../services/ledger/request-adjustment.ts'
import { resetClock } from '../../services/platform/clock.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { startAppServer } from '../support/app-server.ts'
import { contractCast, scopeFor, termsStartingToday } from '../support/contracts.ts'
import { programStaff, programYear } from '../support/credits.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { heldBadge, servicesWork } from '../support/inbox.ts'
import { examFixture } from '../support/training.ts'

// Issue 29: one inbox per role, listing exactly what waits for that person's decision.
let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())
afterEach(() => resetClock())

const inboxOf = async (user: { id: string }) => {
  const actor = await actorForUser(user.id)
  return { keys: (await listInbox(actor)).items.map((i) => `${i.source}:${i.id}`), count: await countInbox(actor) }
}

async function signedIn(user: { email: string; password: string }) {
  const http = new HttpClient(server.url)
  await http.signIn(user.email, user.password)
  return http
}

describe('the services inbox', () => {
  it('gives the lead their engagement’s week and expense, the customer its milestone, and nobody else’s', async () => {
    const w = await servicesWork()
    const other = await servicesWork()
    const lead = await inboxOf(w.lead)
    expect(lead.keys).toEqual(expect.arrayContaining([`timesheet:${w.timesheetId}`, `expense:${w.expenseId}`]))
    // Another engagement's lead's week and expense are not this lead's to decide.
    expect(lead.keys).not.toContain(`timesheet:${other.timesheetId}`)
    expect(lead.keys).not.toContain(`expense:${other.expenseId}`)
    expect(lead.keys.some((k) => k.startsWith('milestone:'))).toBe(false)
    // The person who logged the week and spent the money has nothing to decide about them.
    expect((await inboxOf(w.consultant)).keys).toEqual(
      expect.not.arrayContaining([`timesheet:${w.timesheetId}`, `expense:${w.expenseId}`]),
    )
    // The services lead decides every expense but only the weeks of engagements they lead.
    const sl = await inboxOf(w.servicesLead)
    expect(sl.keys).toEqual(expect.arrayContaining([`expense:${w.expenseId}`, `expense:${other.expenseId}`]))
    expect(sl.keys).not.toContain(`timesheet:${w.timesheetId}`)
    // The customer: its own delivered milestone, nothing of ggml's queues, nothing of another customer.
    const customer = await inboxOf(w.customerAdmin)
    expect(customer.keys).toEqual([`milestone:${w.milestoneId}`])
    expect(customer.count).toBe(1)
  })

  it('approves and returns through the use cases, and refuses what the person may not decide', async () => {
    const w = await servicesWork()
    const lead = await signedIn(w.lead)
    const before = await countInbox(await actorForUser(w.lead.id))
    // A return needs its reason: nothing changes without one.
    const bare = await lead.post('/inbox', {
      source: 'timesheet',
      id: w.timesheetId,
      organizationId: w.customer.id,
      decision: 'return',
    })
    expect(bare.status).toBe(422)
    expect(await bare.text()).toContain('Say why it goes back, so it can be fixed.')
    expect((await db().timesheet.findUniqueOrThrow({ where: { id: w.timesheetId } })).status).toBe('submitted')

    const returned = await lead.post('/inbox', {
      source: 'timesheet',
      id: w.timesheetId,
      organizationId: w.customer.id,
      decision: 'return',
      reason: 'One task per kernel',
    })
    expect(returned.status).toBe(302)
    expect(returned.headers.get('location')).toBe('/inbox?done=timesheet.return')
    expect(await db().timesheet.findUniqueOrThrow({ where: { id: w.timesheetId } })).toMatchObject({
      status: 'draft',
      rejectionReason: 'One task per kernel',
    })
    const approved = await lead.post('/inbox', {
      source: 'expense',
      id: w.expenseId,
      organizationId: w.customer.id,
      decision: 'approve',
    })
    expect(approved.status).toBe(302)
    expect((await db().engagementExpense.findUniqueOrThrow({ where: { id: w.expenseId } })).status).toBe('approved')
    expect(await countInbox(await actorForUser(w.lead.id))).toBe(before - 2)
    const page = (await (await lead.get('/inbox?done=expense.approve')).text()).replaceAll('<!-- -->', '')
    expect(page).toContain('Expense approved.')

    // The consultant cannot decide their own expense from the inbox either (four eyes, as on the page).
    const other = await servicesWork()
    const own = await (
      await signedIn(other.consultant)
    ).post('/inbox', {
      source: 'expense',
      id: other.expenseId,
      organizationId: other.customer.id,
      decision: 'approve',
    })
    expect(own.status).toBe(409)
    expect((await db().engagementExpense.findUniqueOrThrow({ where: { id: other.expenseId } })).status).toBe(
      'submitted',
    )

    // The customer accepts its milestone; another customer's admin, naming it, is told it does not exist.
    const stranger = await createUser((await createOrganization('enterprise')).id, 'partner_admin')
    for (const organizationId of [other.customer.id, (await createOrganization('enterprise')).id]) {
      const res = await (
        await signedIn(stranger)
      ).post('/inbox', {
        source: 'milestone',
        id: other.milestoneId,
        organizationId,
        decision: 'approve',
      })
      expect(res.status).toBe(404)
    }
    const accepted = await (
      await signedIn(other.customerAdmin)
    ).post('/inbox', {
      source: 'milestone',
      id: other.milestoneId,
      organizationId: other.customer.id,
      decision: 'approve',
    })
    expect(accepted.status).toBe(302)
    expect((await db().engagementMilestone.findUniqueOrThrow({ where: { id: other.milestoneId } })).status).toBe(
      'accepted',
    )
  })
})

describe('the instructor’s inbox', () => {
  it('lists a version in review for a second instructor, never for its author', async () => {
    const { exam, author, reviewer } = await examFixture({ perDomain: 1 })
    const itemId = newId()
    const versionId = newId()
    await db().examItem.create({ data: { id: itemId, examId: exam.id, domain: 'alpha' } })
    await db().examItemVersion.create({
      data: {
        id: versionId,
        itemId,
        version: 1,
        kind: 'single',
        stem: 'Which type keeps 4 bits per weight?',
        choices: [
          { id: 'a', text: 'Q4_0' },
          { id: 'b', text: 'Q8_0' },
        ],
        key: ['a'],
        explanation: 'Q4_0 stores 4-bit weights.',
        difficulty: 2,
        tags: [],
        state: 'in_review',
        authorId: author.id,
      },
    })
    // Extra time the author asked for a candidate: a second instructor decides it, with the item.
    const learners = await createOrganization('learner')
    const candidate = await createUser(learners.id, 'learner')
    const requestId = newId()
    await db().examApprovalRequest.create({
      data: {
        id: requestId,
        kind: 'accommodation',
        organizationId: learners.id,
        userId: candidate.id,
        examId: exam.id,
        extraMinutes: 30,
        reason: 'Screen reader',
        requestedById: author.id,
      },
    })
    expect((await inboxOf(reviewer)).keys).toEqual(
      expect.arrayContaining([`exam_item:${versionId}`, `exam_request:${requestId}`]),
    )
    expect((await inboxOf(author)).keys).toEqual(
      expect.not.arrayContaining([`exam_item:${versionId}`, `exam_request:${requestId}`]),
    )
    expect((await inboxOf(candidate)).keys).toEqual([])
    const asked = await (
      await signedIn(author)
    ).post('/inbox', {
      source: 'exam_request',
      id: requestId,
      decision: 'approve',
    })
    expect(asked.status).toBe(403)
    const declined = await (
      await signedIn(reviewer)
    ).post('/inbox', {
      source: 'exam_request',
      id: requestId,
      decision: 'return',
      reason: 'Ask for the doctor’s letter first',
    })
    expect(declined.status).toBe(302)
    expect((await db().examApprovalRequest.findUniqueOrThrow({ where: { id: requestId } })).decision).toBe('declined')
    const res = await (
      await signedIn(reviewer)
    ).post('/inbox', {
      source: 'exam_item',
      id: versionId,
      decision: 'return',
      reason: 'Name the block size too',
    })
    expect(res.status).toBe(302)
    expect(await db().examItemVersion.findUniqueOrThrow({ where: { id: versionId } })).toMatchObject({
      state: 'rejected',
      reviewNote: 'Name the block size too',
    })
  })
})

describe('finance’s inbox', () => {
  it('holds notes, grants and terms for a second person, and none of it for a partner', async () => {
    const ggml = await ggmlOrganization()
    const partner = await createOrganization('oem_partner', unique('Inbox Partner'))
    const [requester, approver] = await Promise.all([createUser(ggml.id, 'finance'), createUser(ggml.id, 'finance')])
    const partnerAdmin = await createUser(partner.id, 'partner_admin')
    const scope = await tenantScope(await actorForUser(requester.id), { id: partner.id }, 'adjustments.request')
    const adjustmentId = await requestAdjustment(scope, {
      currency: 'USD',
      direction: 'credit',
      amount: '100.00',
      reason: 'Goodwill for the late price list',
    })
    const staff = await programStaff()
    const year = await programYear(1_000_000n, [{ login: unique('dev'), email: `${unique('dev')}@x.test`, rank: 1 }])
    const { login } = (await db().contributorScore.findFirstOrThrow({ where: { snapshot: { year } } })) as {
      login: string
    }
    await proposeGrant(staff.managerActor, { year, login })
    const grant = await db().creditGrant.findFirstOrThrow({ where: { year, login } })
    const c = await contractCast()
    const managerScope = await scopeFor(c.manager.id, c.partner.id, 'contracts.draft')
    const { version } = await draftContract(managerScope, {
      title: `${c.partner.name} license`,
      kind: 'production_license',
      terms: termsStartingToday({ revenueShare: { percent: '0.50' } }),
    })
    expect((await submitForApproval(managerScope, version.id)).needsFinance).toBe(true)

    const mine = await inboxOf(approver)
    expect(mine.keys).toEqual(
      expect.arrayContaining([
        `adjustment:${adjustmentId}`,
        `credit_grant:${grant.id}`,
        `contract_version:${version.id}`,
      ]),
    )
    // Four eyes: what a person asked for waits for someone else.
    expect((await inboxOf(requester)).keys).not.toContain(`adjustment:${adjustmentId}`)
    expect((await inboxOf(staff.manager)).keys).not.toContain(`credit_grant:${grant.id}`)
    // A partner's admin sees none of ggml's queues, and may not decide them by posting.
    const partnerUser = await actorForUser(partnerAdmin.id)
    expect(hasInbox(partnerUser)).toBe(true)
    expect((await listInbox(partnerUser)).items).toEqual([])
    const http = await signedIn(partnerAdmin)
    for (const [source, id, organizationId] of [
      ['adjustment', adjustmentId, partner.id],
      ['contract_version', version.id, c.partner.id],
      ['credit_grant', grant.id, ''],
    ]) {
      const res = await http.post('/inbox', {
        source: source!,
        id: id!,
        organizationId: organizationId!,
        decision: 'approve',
      })
      expect([403, 404]).toContain(res.status)
    }
    expect((await db().adjustment.findUniqueOrThrow({ where: { id: adjustmentId } })).status).toBe('pending')
    expect((await db().creditGrant.findUniqueOrThrow({ where: { id: grant.id } })).status).toBe('proposed')

    // The approver returns the terms with a reason and rejects the note; both leave the inbox.
    const finance = await signedIn(approver)
    const before = await countInbox(await actorForUser(approver.id))
    const back = await finance.post('/inbox', {
      source: 'contract_version',
      id: version.id,
      organizationId: c.partner.id,
      decision: 'return',
      reason: 'Half a percent needs the CFO’s note',
    })
    expect(back.status).toBe(302)
    expect((await db().contractVersion.findUniqueOrThrow({ where: { id: version.id } })).state).toBe('draft')
    await finance.post('/inbox', {
      source: 'adjustment',
      id: adjustmentId,
      organizationId: partner.id,
      decision: 'return',
      reason: 'Goodwill is granted at renewal',
    })
    expect(await db().adjustment.findUniqueOrThrow({ where: { id: adjustmentId } })).toMatchObject({
      status: 'rejected',
      decisionNote: 'Goodwill is granted at renewal',
    })
    expect(await countInbox(await actorForUser(approver.id))).toBe(before - 2)
  })
})

describe('the certification engineer’s inbox', () => {
  it('lists held badges, says why one cannot be approved yet, and revokes with a reason', async () => {
    const partner = await createOrganization('oem_partner', unique('Inbox Silicon'))
    const badgeId = await heldBadge(partner.id)
    const engineer = await createUser((await ggmlOrganization()).id, 'certification_engineer')
    const item = (await listInbox(await actorForUser(engineer.id))).items.find((i) => i.id === badgeId)
    expect(item).toMatchObject({ source: 'badge', organizationId: partner.id })
    expect(item!.approveBlocked).toBeTruthy()
    const partnerAdmin = await createUser(partner.id, 'partner_admin')
    expect((await inboxOf(partnerAdmin)).keys).toEqual([])
    const refused = await (
      await signedIn(partnerAdmin)
    ).post('/inbox', {
      source: 'badge',
      id: badgeId,
      organizationId: partner.id,
      decision: 'return',
      reason: 'mine now',
    })
    expect(refused.status).toBe(403)
    const res = await (
      await signedIn(engineer)
    ).post('/inbox', {
      source: 'badge',
      id: badgeId,
      organizationId: partner.id,
      decision: 'return',
      reason: 'Threads do not match the declared CPU',
    })
    expect(res.status).toBe(302)
    expect((await db().certBadge.findUniqueOrThrow({ where: { id: badgeId } })).revokedAt).not.toBeNull()
  })
})
