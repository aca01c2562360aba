import type { ServerBuild } from 'react-router'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import type { Role } from '../../services/platform/db/generated/enums.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { createScimToken } from '#services/api-tokens/create-scim-token.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import {
  memberPermissions,
  onBehalfPermissions,
  staffRoles,
  type Permission,
  type StaffRole,
} from '../../services/identity/permissions.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { idpKeys } from '../support/saml-idp.ts'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser, ggmlOrganization, unique } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'
import { examFixture, giveVoucher } from '../support/training.ts'
import { startAttempt } from '../../services/training/start-attempt.ts'

/**
 * Walks every route of the real build as each partner role of partner A, aimed at partner B's
 * resources, and requires a refusal (403/404) that carries none of B's data, for pages, data
 * requests and form posts alike; B's state must not change. A new route fails this test until it
 * is either covered by a parameter fixture below or listed as public with a reason.
 */
const publicRoutes: Record<string, string> = {
  root: 'the document shell',
  'routes/shell/home': 'the front door for visitors; a signed-in user is redirected to their own dashboard',
  'routes/shell/app-shell': 'layout; its children are walked',
  ...Object.fromEntries(
    ['account', 'inbox', 'developers', 'portal', 'finance', 'contracts', 'certification', 'services', 'training']
      .concat(['learn', 'rewards', 'admin'])
      .map((area) => [`routes/${area}/area`, 'an area’s layout (its error boundary); its children are walked']),
  ),
  'routes/shell/public-layout': 'layout of the public pages and sign-in; its children are walked',
  'routes/auth/login': 'public sign-in',
  'routes/auth/logout': 'ends the caller’s own session',
  'routes/auth/two-factor': 'the second sign-in step: its secret challenge cookie is the authorisation',
  'routes/auth/recovery-codes': 'shows the caller’s own new recovery codes once, from a sealed cookie',
  'routes/auth/forgot-password': 'public; answers the same for every email',
  'routes/auth/reset-password': 'capability URL: the secret token is the authorisation',
  'routes/auth/accept-invitation': 'capability URL: the secret token is the authorisation',
  'routes/webhooks/docusign': 'authenticated by DocuSign’s HMAC signature, not a session (contract-lifecycle.test.ts)',
  'routes/webhooks/stripe': 'authenticated by Stripe’s signature, not a session (billing.test.ts)',
  'routes/public/badge': 'public by design: anyone verifies a badge; it shows only what the badge certifies',
  'routes/public/badge-svg': 'public by design: the embeddable badge image',
  'routes/public/badge-documents': 'public by design: the badge credential and shields.io endpoint',
  'routes/public/badge-status-list': 'public by design: the revocation status list',
  'routes/public/well-known-badge-key': 'public by design: the key that verifies badge credentials',
  'routes/public/certified-directory': 'public by design: the directory of certified hardware',
  'routes/public/certification-log': 'public by design: the log of every certification submission',
  'routes/public/credit-recipients': 'public by design: recipients who chose to be named (credits.test.ts)',
  'routes/api/credits-usage': 'authenticated by GGML Cloud’s service token, not a session (credits.test.ts)',
  'routes/api/openapi-json': 'public by design: the API contract, no data of anyone (partner-api.test.ts)',
  'routes/scim/users': 'authenticated by an API token with the scim:provision scope, not a session (scim.test.ts)',
  'routes/scim/user': 'authenticated by an API token with the scim:provision scope, not a session (scim.test.ts)',
  'routes/scim/groups': 'authenticated by an API token with the scim:provision scope, not a session (scim.test.ts)',
  'routes/scim/group': 'authenticated by an API token with the scim:provision scope, not a session (scim.test.ts)',
  'routes/sso/start': 'public sign-in: finds an organization’s SAML connection by its short name',
  'routes/sso/login': 'public sign-in: a redirect to the identity provider',
  'routes/sso/acs': 'authenticated by the IdP’s signatures and a one-time request id (saml-sso.test.ts)',
  'routes/sso/metadata': 'public by design: the service provider metadata an IdP imports',
  'routes/learn/catalog': 'public by design: the training catalog',
  'routes/learn/course-page': 'public by design: a course’s outline and price',
  'routes/learn/exam-page': 'public by design: an exam’s policies and price',
  'routes/auth/signup': 'public sign-up for learners; answers the same whether or not the email has an account',
  'routes/auth/verify-email': 'capability URL: the secret token is the authorisation',
  'routes/public/certificate': 'public by design: anyone verifies a certificate; it shows only what it certifies',
  'routes/public/certificate-credential': 'public by design: the signed credential of a certificate',
  'routes/public/certificate-pdf': 'public by design: the printable certificate, what the page shows',
  'routes/public/certificate-preview': 'public by design: the link preview image of a certificate',
  'routes/public/badge-preview': 'public by design: the link preview image of a badge',
}

const partnerRoles: Role[] = ['partner_admin', 'partner_finance', 'partner_engineer']

let server: Awaited<ReturnType<typeof startAppServer>>
let victim: { id: string; slug: string; name: string }
let markers: string[]
let params: Record<string, string>
let victimVersionId: string
let victimTimesheetId: string
// Any certificate does for a connection nobody signs in through.
const VICTIM_IDP_CERT = idpKeys('victim-idp').cert
let victimServices: { milestoneId: string; expenseId: string; changeOrderId: string }
let victimRunnerId: string
let victimTraining: { orderId: string; packId: string; seatId: string; examSlug: string }
let categories: { marker: string; shownWith: Permission[] }[]
const clients = new Map<Role, HttpClient>()
/** Admin of partner A and an engineer of partner B: one person, two memberships (issue 25). */
let dual: { id: string; email: string; client: HttpClient; scimSecret: string }
const staffRoleList = [...staffRoles] as StaffRole[]
/** Everything a staff role may do: across the platform and on a partner's behalf. */
const staffMay = (role: StaffRole) => new Set([...memberPermissions(role), ...onBehalfPermissions(role)])

function routePaths(build: ServerBuild): { id: string; path: string; hasAction: boolean }[] {
  const full = (id: string): string => {
    const r = build.routes[id]!
    const own = r.path ?? ''
    return r.parentId ? `${full(r.parentId)}/${own}`.replace(/\/+/g, '/') : `/${own}`
  }
  return Object.values(build.routes).map((r) => ({
    id: r!.id,
    path: full(r!.id).replace(/\/$/, '') || '/',
    hasAction: Boolean(r!.module.action),
  }))
}

const victimState = async () => ({
  reports: await db().royaltyReport.count({ where: { organizationId: victim.id } }),
  postings: await db().journalEntry.count({ where: { organizationId: victim.id } }),
  contracts: await db().contract.findMany({ where: { organizationId: victim.id }, include: { versions: true } }),
  invitations: await db().invitation.count({ where: { organizationId: victim.id, revokedAt: null } }),
  members: await db().membership.count({ where: { organizationId: victim.id } }),
  organization: await db().organization.findUniqueOrThrow({ where: { id: victim.id } }),
  engagements: await db().engagement.findMany({ where: { organizationId: victim.id } }),
  timesheets: await db().timesheet.findMany({ where: { organizationId: victim.id }, include: { entries: true } }),
  milestones: await db().engagementMilestone.findMany({ where: { organizationId: victim.id } }),
  expenses: await db().engagementExpense.findMany({ where: { organizationId: victim.id } }),
  changeOrders: await db().engagementChangeOrder.findMany({ where: { organizationId: victim.id } }),
  samlConnections: await db().samlConnection.findMany({ where: { organizationId: victim.id } }),
  attempts: await db().examAttempt.findMany({ where: { organizationId: victim.id }, include: { items: true } }),
  vouchers: await db().examVoucher.findMany({ where: { organizationId: victim.id } }),
  orders: await db().trainingOrder.findMany({ where: { organizationId: victim.id } }),
  seats: await db().trainingSeat.findMany({ where: { organizationId: victim.id } }),
  seatPacks: await db().trainingSeatPack.count({ where: { organizationId: victim.id } }),
  runners: await db().certRunner.findMany({ where: { organizationId: victim.id } }),
})

beforeAll(async () => {
  server = await startAppServer()
  const attacker = await createOrganization('oem_partner', unique('Attacker Silicon'))
  const b = await createOrganization('oem_partner', unique('Victim Devices'))
  victim = b
  const bAdmin = await createUser(b.id, 'partner_admin')
  const invitedEmail = `${unique('victim-invitee')}@example.test`
  await db().invitation.create({
    data: {
      id: newId(),
      organizationId: b.id,
      email: invitedEmail,
      role: 'partner_engineer',
      tokenHash: unique('hash'),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  })
  const mail = await db().mailMessage.create({
    data: {
      id: newId(),
      idempotencyKey: unique('k'),
      to: bAdmin.email,
      subject: `Statement for ${b.name}`,
      text: 'private',
      html: '<p>private</p>',
      transport: 'local',
    },
  })
  const contract = await db().contract.create({
    data: { id: newId(), organizationId: b.id, title: `${b.name} secret license`, kind: 'production_license' },
  })
  const version = await db().contractVersion.create({
    data: {
      id: newId(),
      contractId: contract.id,
      organizationId: b.id,
      version: 1,
      effectiveFrom: new Date('2027-01-01'),
      terms: hybridTerms(),
      termsSha256: 'x',
      state: 'draft',
    },
  })
  const document = await db().contractDocument.create({
    data: {
      id: newId(),
      organizationId: b.id,
      contractVersionId: version.id,
      kind: 'agreement',
      filename: 'secret.pdf',
      contentType: 'application/pdf',
      bytes: new Uint8Array(Buffer.from(`%PDF ${b.name}`)),
      sha256: 'x',
    },
  })
  const report = await db().royaltyReport.create({
    data: {
      id: newId(),
      organizationId: b.id,
      contractId: contract.id,
      periodStart: new Date('2027-01-01'),
      periodEnd: new Date('2027-04-01'),
      revision: 1,
      currentKey: `${contract.id}:2027-01-01:3`,
      source: 'csv',
      contentSha256: 'x',
      lineCount: 0,
      unitsTotal: 0n,
      revenueTotalMinor: 0n,
      currency: 'USD',
      contractVersionId: version.id,
    },
  })
  const sku = unique('VICTIM-SKU')
  const upload = await db().reportUpload.create({ data: { id: newId(), organizationId: b.id } })
  await db().royaltyReportLine.create({
    data: {
      uploadId: upload.id,
      organizationId: b.id,
      lineNumber: 1,
      deviceModel: sku,
      deviceClass: 'edge',
      priceBand: 'Entry',
      region: 'EU',
      units: 1,
    },
  })
  await db().reportUpload.update({ where: { id: upload.id }, data: { postedAt: new Date() } })
  await db().royaltyReport.update({ where: { id: report.id }, data: { uploadId: upload.id } })
  const product = unique('Victim NPU')
  await db().certRequest.create({
    data: { id: newId(), organizationId: b.id, productName: product, sku: 'V-1', createdById: bAdmin.id },
  })
  const entry = await db().journalEntry.create({
    data: {
      id: newId(),
      organizationId: b.id,
      currency: 'USD',
      idempotencyKey: unique('victim-entry'),
      kind: 'adjustment',
      description: 'Victim posting',
      effectiveDate: new Date('2027-01-05'),
    },
  })
  const invoiceText = unique('Victim invoice')
  const invoice = await db().invoice.create({
    data: {
      id: newId(),
      organizationId: b.id,
      journalEntryId: entry.id,
      currency: 'USD',
      description: invoiceText,
      lines: [{ description: invoiceText, amountMinor: '100' }],
      amountDueMinor: 100n,
      amountRemainingMinor: 100n,
      status: 'open',
      number: unique('VINV'),
      issuedAt: new Date('2027-01-05'),
    },
  })
  // A services engagement for partner B, with a submitted week of time.
  const engagementLead = await createUser((await ggmlOrganization()).id, 'consultant')
  const engagement = await db().engagement.create({
    data: {
      id: newId(),
      organizationId: b.id,
      title: `${b.name} secret services engagement`,
      type: 'time_and_materials',
      currency: 'USD',
      startsOn: new Date('2027-01-04'),
      leadId: engagementLead.id,
      budgetMinutes: 6000,
      budgetMinor: 2_000_000n,
      status: 'active',
      createdById: engagementLead.id,
      members: { create: [{ userId: engagementLead.id, rateRole: 'engineer', costRateMinor: 9000n }] },
    },
  })
  const timesheet = await db().timesheet.create({
    data: {
      id: newId(),
      organizationId: b.id,
      engagementId: engagement.id,
      userId: engagementLead.id,
      weekStart: new Date('2027-01-04'),
    },
  })
  await db().timeEntry.create({
    data: {
      id: newId(),
      organizationId: b.id,
      timesheetId: timesheet.id,
      engagementId: engagement.id,
      day: new Date('2027-01-04'),
      minutes: 480,
      task: 'secret task',
    },
  })
  await db().timesheet.update({ where: { id: timesheet.id }, data: { status: 'submitted' } })
  // A delivered milestone, a submitted expense with its receipt and a proposed change order.
  const milestone = await db().engagementMilestone.create({
    data: {
      id: newId(),
      organizationId: b.id,
      engagementId: engagement.id,
      seq: 1,
      title: 'secret milestone',
      amountMinor: 500_000n,
      status: 'delivered',
      deliveredAt: new Date('2027-01-10'),
      acceptBy: new Date('2027-01-20'),
    },
  })
  const expense = await db().engagementExpense.create({
    data: {
      id: newId(),
      organizationId: b.id,
      engagementId: engagement.id,
      userId: engagementLead.id,
      day: new Date('2027-01-05'),
      description: 'secret expense',
      amountMinor: 12_000n,
      receiptFilename: 'secret-receipt.pdf',
      receiptContentType: 'application/pdf',
      receiptBytes: new Uint8Array(Buffer.from(`%PDF-1.4 ${b.name}`)),
      receiptSha256: unique('sha'),
    },
  })
  const changeOrder = await db().engagementChangeOrder.create({
    data: {
      id: newId(),
      organizationId: b.id,
      engagementId: engagement.id,
      version: 2,
      budgetMinutes: 9000,
      budgetMinor: 3_000_000n,
      scope: 'secret scope change',
      proposedById: engagementLead.id,
    },
  })
  await db().samlConnection.create({
    data: {
      id: newId(),
      organizationId: b.id,
      name: 'secret IdP connection',
      idpEntityId: 'https://idp.victim.example',
      idpSsoUrl: 'https://idp.victim.example/sso',
      idpCertificates: [VICTIM_IDP_CERT],
      defaultRole: 'partner_engineer',
      groupRoles: {},
      createdById: bAdmin.id,
    },
  })
  victimServices = { milestoneId: milestone.id, expenseId: expense.id, changeOrderId: changeOrder.id }
  // B's training: a learner mid-exam, a paid order, a seat pack with a seat held by a named person.
  const training = await examFixture()
  const bLearner = await createUser(b.id, 'learner')
  await giveVoucher(b.id, bLearner.id, training.exam.id)
  const bLearnerScope = await tenantScope(await actorForUser(bLearner.id), { id: b.id }, 'training.learn')
  const victimAttempt = await startAttempt(bLearnerScope, { examSlug: training.exam.slug })
  const order = await db().trainingOrder.create({
    data: {
      id: newId(),
      organizationId: b.id,
      userId: bLearner.id,
      product: 'exam',
      productId: training.exam.id,
      listPriceMinor: 20_000n,
      amountMinor: 20_000n,
      currency: 'USD',
      status: 'paid',
      paymentIntent: 'pi_victim',
    },
  })
  const pack = await db().trainingSeatPack.create({
    data: {
      id: newId(),
      organizationId: b.id,
      courseId: training.course.id,
      examId: training.exam.id,
      seats: 3,
      priceMinor: 1n,
    },
  })
  const seat = await db().trainingSeat.create({
    data: {
      id: newId(),
      organizationId: b.id,
      packId: pack.id,
      email: 'secret-seat-holder@victim.example',
      assignedAt: new Date(),
    },
  })
  victimTraining = { orderId: order.id, packId: pack.id, seatId: seat.id, examSlug: training.exam.slug }
  victimRunnerId = (
    await db().certRunner.create({
      data: {
        id: newId(),
        organizationId: b.id,
        name: 'victim runner',
        publicKey: 'k',
        secretHash: unique('secret'),
        fingerprint: {},
      },
    })
  ).id
  victimTimesheetId = timesheet.id
  victimVersionId = version.id
  markers = [b.name, bAdmin.email, invitedEmail]
  // What of partner B each kind of permission shows; staff may see a marker only through one of them.
  categories = [
    { marker: contract.title, shownWith: ['contracts.view'] },
    { marker: invitedEmail, shownWith: ['team.view'] },
    { marker: sku, shownWith: ['royalties.view'] },
    { marker: product, shownWith: ['certification.view'] },
    { marker: invoiceText, shownWith: ['invoices.view'] },
    { marker: mail.subject, shownWith: ['mail.read'] },
    { marker: engagement.title, shownWith: ['engagements.view', 'services.view'] },
    { marker: 'secret expense', shownWith: ['engagements.view', 'services.view'] },
    { marker: 'secret IdP connection', shownWith: ['sso.configure'] },
    { marker: 'secret-seat-holder@victim.example', shownWith: ['training.manage_seats'] },
    { marker: bAdmin.email, shownWith: ['team.view', 'mail.read', 'contracts.view', 'audit_log.read'] },
  ]
  params = {
    orgSlug: b.slug,
    messageId: mail.id,
    contractId: contract.id,
    documentId: document.id,
    reportId: report.id,
    engagementId: engagement.id,
    expenseId: expense.id,
    invoiceId: invoice.id,
    table: 'royalties.csv',
    file: '2026-Q4.pdf',
    attemptId: victimAttempt.id,
    courseSlug: training.course.slug,
    examSlug: training.exam.slug,
    certificateId: 'none',
    token: 'none',
    slug: training.exam.slug,
    period: '2027-Q1',
  }
  for (const role of partnerRoles) {
    const user = await createUser(attacker.id, role)
    const c = new HttpClient(server.url)
    await c.signIn(user.email, user.password)
    // Partner A's API token rides along, so the bearer-token API is walked too.
    if (role === 'partner_admin') {
      const scope = await tenantScope(await actorForUser(user.id), { id: attacker.id }, 'api_tokens.create')
      // Not statements:read: a statement is addressed by period, not by anything of partner B's, so it
      // would answer A's own; partner-api.test.ts walks every read endpoint with every scope instead.
      const token = await createApiToken(scope, {
        name: 'walk',
        scopes: ['reports:read', 'reports:write', 'invoices:read', 'badges:read'],
      })
      c.headers = {
        Authorization: `Bearer ${token.secret}`,
      }
    }
    clients.set(role, c)
  }
  {
    const person = await createUser(attacker.id, 'partner_admin')
    await db().membership.create({
      data: { id: newId(), userId: person.id, organizationId: b.id, role: 'partner_engineer' },
    })
    const client = new HttpClient(server.url)
    await client.signIn(person.email, person.password)
    // A's provisioning token, made by another admin of A (a token stops working when its maker is deactivated).
    const aAdmin = await createUser(attacker.id, 'partner_admin')
    const scope = await tenantScope(await actorForUser(aAdmin.id), { id: attacker.id }, 'sso.configure')
    const { secret: scimSecret } = await createScimToken(scope, { name: 'A provisioning' })
    dual = { id: person.id, email: person.email, client, scimSecret }
  }
  const ggml = await ggmlOrganization()
  for (const role of staffRoleList) {
    const user = await createUser(ggml.id, role)
    const c = new HttpClient(server.url)
    await c.signIn(user.email, user.password)
    clients.set(role, c)
  }
})
afterAll(() => server.close())

/** Form posts that would change partner B, each with the permission that would allow it. */
async function hostileBodies(): Promise<{ body: Record<string, string>; needs: Permission }[]> {
  const [member] = await db().membership.findMany({ where: { organizationId: victim.id } })
  const [inv] = await db().invitation.findMany({ where: { organizationId: victim.id } })
  return [
    {
      needs: 'team.invite',
      body: { intent: 'invite', email: `${unique('intruder')}@example.test`, role: 'partner_admin' },
    },
    { needs: 'team.remove', body: { intent: 'remove', membershipId: member!.id } },
    { needs: 'team.remove', body: { intent: 'revoke', invitationId: inv!.id } },
    {
      needs: 'organizations.create',
      body: { jobId: 'any', name: 'Renamed', slug: unique('renamed'), kind: 'oem_partner' },
    },
    { needs: 'contracts.submit', body: { intent: 'submit', versionId: victimVersionId } },
    { needs: 'contracts.sign', body: { intent: 'sign', versionId: victimVersionId } },
    { needs: 'contracts.terminate', body: { intent: 'terminate', reason: 'hostile' } },
    {
      needs: 'contracts.draft',
      body: {
        versionId: 'any',
        terms: JSON.stringify(hybridTerms()),
        organizationId: victim.id,
        title: 'Hostile draft',
        kind: 'production_license',
      },
    },
    { needs: 'royalties.report', body: { intent: 'zero', contractId: params.contractId!, period: '2027-Q2' } },
    { needs: 'royalties.report', body: { contractId: params.contractId!, period: '2027-Q2', lines: '[]' } },
    {
      needs: 'services.manage',
      body: { intent: 'status', engagementId: params.engagementId!, to: 'cancelled', reason: 'hostile' },
    },
    { needs: 'time.approve', body: { intent: 'week', timesheetId: victimTimesheetId, action: 'approve' } },
    { needs: 'time.approve', body: { intent: 'week', timesheetId: victimTimesheetId, action: 'reject', reason: 'x' } },
    {
      needs: 'sso.configure',
      body: { name: 'hostile IdP', metadata: '', defaultRole: 'partner_admin', groupRoles: 'x = partner_admin' },
    },
    {
      needs: 'milestones.accept',
      body: { intent: 'milestone', milestoneId: victimServices.milestoneId, decision: 'accept' },
    },
    {
      needs: 'change_orders.decide',
      body: { intent: 'change-order', changeOrderId: victimServices.changeOrderId, decision: 'approve' },
    },
    {
      needs: 'expenses.approve',
      body: { intent: 'decide-expense', expenseId: victimServices.expenseId, decision: 'approve' },
    },
    { needs: 'time.approve', body: { intent: 'deliver', milestoneId: victimServices.milestoneId } },
    { needs: 'services.manage', body: { intent: 'milestone', title: 'hostile milestone', amount: '1.00' } },
    {
      needs: 'services.manage',
      body: { intent: 'change-order', budgetHours: '1', budget: '1.00', scope: 'hostile scope change here' },
    },
    { needs: 'runners.revoke', body: { intent: 'revoke-runner', runnerId: victimRunnerId } },
    { needs: 'runner_tokens.create_lab', body: { intent: 'lab-token' } },
    { needs: 'training.learn', body: { intent: 'start', examSlug: victimTraining.examSlug } },
    { needs: 'training.learn', body: { intent: 'answer', position: '0', answer: 'a' } },
    { needs: 'training.learn', body: { intent: 'submit' } },
    { needs: 'training.refund', body: { intent: 'refund', orderId: victimTraining.orderId } },
    {
      needs: 'training.manage_seats',
      body: { intent: 'assign', packId: victimTraining.packId, email: 'x@example.test' },
    },
    { needs: 'training.manage_seats', body: { intent: 'release', seatId: victimTraining.seatId } },
    {
      needs: 'training.sell_seats',
      body: { intent: 'sell', courseSlug: 'any', examSlug: victimTraining.examSlug, seats: '5', price: '1.00' },
    },
    {
      needs: 'time.log',
      body: {
        intent: 'save',
        organizationId: victim.id,
        engagementId: params.engagementId!,
        weekStart: '2027-01-11',
        task: 'hostile',
        'hours.0': '8',
      },
    },
  ]
}

describe('cross-tenant isolation', () => {
  it('covers every route of the build', () => {
    const walked = routePaths(server.build).filter((r) => !publicRoutes[r.id])
    for (const r of walked) {
      for (const name of r.path.match(/:(\w+)/g) ?? []) {
        expect(params, `route ${r.id} has :${name.slice(1)}; add a fixture owned by partner B`).toHaveProperty(
          name.slice(1),
        )
      }
    }
    expect(walked.length).toBeGreaterThan(10)
  })

  it.each(partnerRoles)('refuses a %s of partner A every page and data request about partner B', async (role) => {
    const c = clients.get(role)!
    for (const r of routePaths(server.build).filter((x) => !publicRoutes[x.id])) {
      const url = r.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(params[p]!))
      const targetsVictim = /:\w+/.test(r.path)
      for (const u of [url, `${url}.data`]) {
        const res = await c.get(u)
        const body = await res.text()
        for (const m of markers) expect(body, `${role} GET ${u} leaked "${m}"`).not.toContain(m)
        // 401: the bearer-token API refusing a caller without a token.
        if (targetsVictim) expect([401, 403, 404], `${role} GET ${u} answered ${res.status}`).toContain(res.status)
        // 202 is how a data request answers a redirect (to the caller's own portal).
        else expect([200, 202, 302, 401, 403, 404, 405], `${role} GET ${u}`).toContain(res.status)
      }
    }
  })

  it.each(partnerRoles)(
    'refuses a %s of partner A every form post against partner B and changes nothing',
    async (role) => {
      const c = clients.get(role)!
      const before = await victimState()
      const bodies = (await hostileBodies()).map((b) => b.body)
      for (const r of routePaths(server.build).filter((x) => x.hasAction && !publicRoutes[x.id])) {
        const url = r.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(params[p]!))
        for (const body of bodies) {
          const res = await c.post(url, body)
          const text = await res.text()
          // 400/401: the API refusing a form body or a missing token before it looks at anything;
          // 422: a page of the caller's own (their account) refusing a body that makes no sense there.
          const allowed = /:\w+/.test(r.path) ? [400, 401, 403, 404] : [400, 401, 403, 404, 422]
          expect(allowed, `${role} POST ${url} ${JSON.stringify(body)} answered ${res.status}`).toContain(res.status)
          for (const m of markers) expect(text).not.toContain(m)
        }
      }
      expect(await victimState()).toEqual(before)
    },
    // Every route × every hostile body: longer than the default 30 s on two cores.
    120_000,
  )

  it.each(staffRoleList)(
    'shows a %s of ggml only what the role may see of partner B, on every page and data request',
    async (role) => {
      const c = clients.get(role)!
      const may = staffMay(role)
      for (const r of routePaths(server.build).filter((x) => !publicRoutes[x.id])) {
        const url = r.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(params[p]!))
        for (const u of [url, `${url}.data`]) {
          const res = await c.get(u)
          expect(res.status, `${role} GET ${u}`).toBeLessThan(500)
          const body = await res.text()
          for (const { marker, shownWith } of categories) {
            if (shownWith.some((p) => may.has(p))) continue
            expect(body, `${role} GET ${u} showed "${marker}" without ${shownWith.join(' or ')}`).not.toContain(marker)
          }
        }
      }
    },
    120_000,
  )

  it.each(staffRoleList)(
    'changes nothing of partner B for a %s of ggml posting what the role may not do',
    async (role) => {
      const c = clients.get(role)!
      const may = staffMay(role)
      const before = await victimState()
      const bodies = (await hostileBodies()).filter((b) => !may.has(b.needs))
      for (const r of routePaths(server.build).filter((x) => x.hasAction && !publicRoutes[x.id])) {
        const url = r.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(params[p]!))
        for (const { body } of bodies) {
          const res = await c.post(url, body)
          expect(res.status, `${role} POST ${url} ${JSON.stringify(body)}`).toBeLessThan(500)
          await res.arrayBuffer()
        }
      }
      expect(await victimState()).toEqual(before)
    },
    120_000,
  )

  it('refuses partner A’s API token every report of partner B, reading or writing', async () => {
    const c = clients.get('partner_admin')!
    const read = await fetch(`${server.url}/api/v1/reports/${params.reportId}`, { headers: c.headers })
    expect(read.status).toBe(404)
    const write = await fetch(`${server.url}/api/v1/reports`, {
      method: 'POST',
      headers: { ...c.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ contractId: params.contractId, period: '2027-Q2', lines: [] }),
    })
    expect(write.status).toBe(404)
    for (const res of [read, write]) for (const m of markers) expect(await res.clone().text()).not.toContain(m)
  })

  describe('a person in two organizations (issue 25)', () => {
    const engineerMay = new Set<Permission>(memberPermissions('partner_engineer'))

    it('sees of partner B only what an engineer of B may, though they administer partner A', async () => {
      for (const r of routePaths(server.build).filter((x) => !publicRoutes[x.id])) {
        const url = r.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(params[p]!))
        for (const u of [url, `${url}.data`]) {
          const res = await dual.client.get(u)
          expect(res.status, `GET ${u}`).toBeLessThan(500)
          const body = await res.text()
          for (const { marker, shownWith } of categories) {
            if (shownWith.some((p) => engineerMay.has(p))) continue
            expect(body, `GET ${u} showed "${marker}" without ${shownWith.join(' or ')}`).not.toContain(marker)
          }
        }
      }
    }, 120_000)

    it('changes nothing of partner B that an engineer of B may not change', async () => {
      const before = await victimState()
      const bodies = (await hostileBodies()).filter((b) => !engineerMay.has(b.needs))
      for (const r of routePaths(server.build).filter((x) => x.hasAction && !publicRoutes[x.id])) {
        const url = r.path.replace(/:(\w+)/g, (_, p: string) => encodeURIComponent(params[p]!))
        for (const { body } of bodies) {
          const res = await dual.client.post(url, body)
          expect(res.status, `POST ${url} ${JSON.stringify(body)}`).toBeLessThan(500)
          await res.arrayBuffer()
        }
      }
      expect(await victimState()).toEqual(before)
    }, 120_000)

    it("cannot be taken from partner B through partner A's SCIM: A reaches only its own membership", async () => {
      const scim = (method: string, body?: unknown) =>
        fetch(`${server.url}/scim/v2/Users/${dual.id}`, {
          method,
          headers: { Authorization: `Bearer ${dual.scimSecret}`, 'Content-Type': 'application/scim+json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      const rename = await scim('PATCH', { Operations: [{ op: 'replace', path: 'userName', value: 'x@evil.example' }] })
      expect(rename.status).toBe(403)
      const off = await scim('PATCH', { Operations: [{ op: 'replace', path: 'active', value: false }] })
      expect(off.status).toBe(200)
      const person = await db().user.findUniqueOrThrow({ where: { id: dual.id }, include: { memberships: true } })
      expect([person.email, person.disabledAt]).toEqual([dual.email, null])
      const inB = person.memberships.find((m) => m.organizationId === victim.id)!
      expect([inB.role, inB.deactivatedAt]).toEqual(['partner_engineer', null])
      expect(await scim('PATCH', { Operations: [{ op: 'replace', path: 'active', value: true }] })).toHaveProperty(
        'status',
        200,
      )
    })
  })
})
