import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApiToken } from '../../services/api-tokens/create-api-token.ts'
import { createScimToken } from '../../services/api-tokens/create-scim-token.ts'
import { db } from '../../services/platform/db/client.ts'
import { createSession } from '../../services/identity/sessions.ts'
import { saveSamlConnection } from '../../services/sso/save-saml-connection.ts'
import { startAppServer } from '../support/app-server.ts'
import { scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, unique, verifiedDomain } from '../support/fixtures.ts'
import { actorFromSessionToken } from '../../services/identity/sessions.ts'
import { idpKeys, idpMetadata } from '../support/saml-idp.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
let org: { id: string; slug: string }
let token: string
let reportsOnly: string
let domain: string
let admin: Awaited<ReturnType<typeof createUser>>
beforeAll(async () => {
  server = await startAppServer()
  org = await createOrganization('enterprise', unique('Scim Corp'))
  domain = await verifiedDomain(org.id)
  admin = await createUser(org.id, 'partner_admin')
  const scope = await scopeFor(admin.id, org.id, 'api_tokens.create')
  token = (await createScimToken(await scopeFor(admin.id, org.id, 'sso.configure'), { name: 'Okta provisioning' }))
    .secret
  reportsOnly = (await createApiToken(scope, { name: 'ERP', scopes: ['reports:read'] })).secret
  await saveSamlConnection(await scopeFor(admin.id, org.id, 'sso.configure'), {
    name: 'Okta',
    metadata: idpMetadata('https://idp.scim.example', 'https://idp.scim.example/sso', [idpKeys().cert]),
    defaultRole: 'partner_engineer',
    groupRoles: 'Finance = partner_finance\nAdmins = partner_admin',
  })
})
afterAll(() => server.close())

const call = async (method: string, path: string, body?: unknown, secret = token) => {
  const res = await fetch(`${server.url}/scim/v2${path}`, {
    method,
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/scim+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SCIM resources, read field by field
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, any>) : null }
}

const roleOf = async (userId: string) =>
  (await db().membership.findFirstOrThrow({ where: { userId, organizationId: org.id } })).role

describe('SCIM 2.0 provisioning', () => {
  it('creates, finds, patches (Okta and Entra ID shapes), deactivates and deletes users', async () => {
    const email = `${unique('kim')}@${domain}`
    // Okta's create request.
    const created = await call('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: email,
      name: { givenName: 'Kim', familyName: 'Lee' },
      emails: [{ primary: true, value: email, type: 'work' }],
      displayName: 'Kim Lee',
      externalId: '00u1abcd',
      active: true,
    })
    expect(created.status).toBe(201)
    const id = created.body!.id as string
    expect(created.body).toMatchObject({
      userName: email,
      active: true,
      externalId: '00u1abcd',
      displayName: 'Kim Lee',
    })
    expect(await roleOf(id)).toBe('partner_engineer')
    expect((await call('POST', '/Users', { userName: email })).status).toBe(409)
    const found = await call('GET', `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`)
    expect([found.body!.totalResults, found.body!.Resources[0].id]).toEqual([1, id])
    expect((await call('GET', `/Users?filter=${encodeURIComponent('userName sw "k"')}`)).status).toBe(400)

    // Entra ID deactivates with a string boolean; the person's sessions end at once.
    await createSession(db(), id, {})
    const off = await call('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [
        { op: 'Replace', path: 'active', value: 'False' },
        { op: 'Replace', path: 'name.givenName', value: 'Kimberly' },
      ],
    })
    expect(off.status).toBe(200)
    expect(off.body).toMatchObject({ active: false, name: { givenName: 'Kimberly' } })
    expect(await db().session.count({ where: { userId: id } })).toBe(0)
    // Okta reactivates with a value object.
    const on = await call('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: true } }],
    })
    expect(on.body!.active).toBe(true)
    expect(
      (await call('PATCH', `/Users/${id}`, { Operations: [{ op: 'replace', path: 'roles', value: 'x' }] })).status,
    ).toBe(400)
    expect((await call('DELETE', `/Users/${id}`)).status).toBe(204)
    expect((await db().user.findUniqueOrThrow({ where: { id } })).disabledAt).not.toBeNull()
  })

  it('maps group membership to roles, through the same map as sign-in', async () => {
    const u = (await call('POST', '/Users', { userName: `${unique('lou')}@${domain}`, active: true })).body!
    const g = await call('POST', '/Groups', { displayName: 'Finance', members: [{ value: u.id }] })
    expect(g.status).toBe(201)
    expect(await roleOf(u.id)).toBe('partner_finance')
    const admins = (await call('POST', '/Groups', { displayName: 'Admins', members: [] })).body!
    // Okta adds a member; the most trusted mapped role wins.
    await call('PATCH', `/Groups/${admins.id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: [{ value: u.id, display: u.userName }] }],
    })
    expect(await roleOf(u.id)).toBe('partner_admin')
    // Entra ID removes a member by filter.
    await call('PATCH', `/Groups/${admins.id}`, {
      Operations: [{ op: 'Remove', path: `members[value eq "${u.id}"]` }],
    })
    expect(await roleOf(u.id)).toBe('partner_finance')
    expect((await call('DELETE', `/Groups/${g.body!.id}`)).status).toBe(204)
    expect(await roleOf(u.id)).toBe('partner_engineer')
    const listed = await call('GET', `/Groups?filter=${encodeURIComponent('displayName eq "Admins"')}`)
    expect(listed.body!.Resources.map((x: { id: string }) => x.id)).toEqual([admins.id])
  })

  it('refuses without a SCIM token, and never reaches another organization', async () => {
    expect((await call('GET', '/Users', undefined, 'ggml_pat_nope')).status).toBe(401)
    expect((await call('GET', '/Users', undefined, reportsOnly)).status).toBe(403)
    const other = await createOrganization('enterprise', unique('Other'))
    const stranger = await createUser(other.id, 'partner_admin')
    expect((await call('GET', `/Users/${stranger.id}`)).status).toBe(404)
    expect(
      (await call('PATCH', `/Users/${stranger.id}`, { Operations: [{ op: 'replace', path: 'active', value: false }] }))
        .status,
    ).toBe(404)
    expect((await call('POST', '/Groups', { displayName: 'Sneaky', members: [{ value: stranger.id }] })).status).toBe(
      400,
    )
    expect((await call('POST', '/Users', { userName: stranger.email })).status).toBe(403)
    expect((await db().user.findUniqueOrThrow({ where: { id: stranger.id } })).disabledAt).toBeNull()
    expect((await call('POST', '/Users', 'not json at all')).status).toBe(400)
  })
})

describe("what one organization's SCIM may change of a person (issue 25, decision 018)", () => {
  const patch = (id: string, ...Operations: unknown[]) =>
    call('PATCH', `/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations })

  /** Someone who administers organization A and also belongs to this one (B), in B's own domain. */
  async function adminOfAnotherOrganization() {
    const a = await createOrganization('oem_partner', unique('Org A'))
    const person = await createUser(a.id, 'partner_admin', `${unique('pat')}@${domain}`)
    await db().membership.create({
      data: { id: unique('m'), userId: person.id, organizationId: org.id, role: 'partner_engineer' },
    })
    const session = await createSession(db(), person.id, {})
    return { a, person, session }
  }

  it("cannot take over another organization's admin: changes reach its own membership only", async () => {
    const { a, person, session } = await adminOfAnotherOrganization()
    const hijack = await patch(person.id, { op: 'replace', path: 'userName', value: `${unique('b')}@${domain}` })
    expect(hijack.status).toBe(403)
    expect(hijack.body!.detail).toMatch(/another organization/)
    const put = await call('PUT', `/Users/${person.id}`, { userName: `evil-${person.email}`, active: true })
    expect(put.status).toBe(403)
    expect((await db().user.findUniqueOrThrow({ where: { id: person.id } })).email).toBe(person.email)

    // Deactivation suspends this organization's membership only: A's admin keeps their account and A.
    const off = await patch(person.id, { op: 'Replace', path: 'active', value: 'False' })
    expect([off.status, off.body!.active]).toEqual([200, false])
    expect((await db().user.findUniqueOrThrow({ where: { id: person.id } })).disabledAt).toBeNull()
    const actor = await actorFromSessionToken(session.token)
    expect(actor?.memberships.map((m) => [m.organizationId, m.role])).toEqual([[a.id, 'partner_admin']])
    const on = await patch(person.id, { op: 'replace', value: { active: true } })
    expect(on.body!.active).toBe(true)
    expect((await actorFromSessionToken(session.token))?.memberships).toHaveLength(2)

    expect((await call('DELETE', `/Users/${person.id}`)).status).toBe(204)
    expect((await call('GET', `/Users/${person.id}`)).status).toBe(404)
    const after = await db().user.findUniqueOrThrow({ where: { id: person.id }, include: { memberships: true } })
    expect([after.disabledAt, after.memberships.map((m) => m.organizationId)]).toEqual([null, [a.id]])
    expect(await actorFromSessionToken(session.token)).not.toBeNull()
  })

  it('changes and disables an identity it owns: its own domain, its only membership', async () => {
    const email = `${unique('own')}@${domain}`
    const created = await call('POST', '/Users', { userName: email, active: true })
    const id = created.body!.id as string
    const renamed = `${unique('renamed')}@${domain}`
    expect((await patch(id, { op: 'replace', path: 'userName', value: renamed })).body!.userName).toBe(renamed)
    // Never to an address outside the organization's verified domains.
    expect((await patch(id, { op: 'replace', path: 'userName', value: `${unique('x')}@gmail.example` })).status).toBe(
      403,
    )
    await createSession(db(), id, {})
    await patch(id, { op: 'replace', path: 'active', value: false })
    expect((await db().user.findUniqueOrThrow({ where: { id } })).disabledAt).not.toBeNull()
    expect(await db().session.count({ where: { userId: id } })).toBe(0)
  })

  it('provisions only addresses of its verified domains, never an account of another organization', async () => {
    const outside = `${unique('out')}@${unique('elsewhere')}.example`
    const refused = await call('POST', '/Users', { userName: outside })
    expect([refused.status, refused.body!.detail]).toEqual([403, expect.stringMatching(/not a verified domain/)])
    expect(await db().user.count({ where: { email: outside } })).toBe(0)
    const other = await createOrganization('oem_partner', unique('Org C'))
    const theirs = await createUser(other.id, 'partner_admin', `${unique('their')}@${domain}`)
    expect((await call('POST', '/Users', { userName: theirs.email })).status).toBe(409)
    expect(await db().membership.count({ where: { userId: theirs.id } })).toBe(1)
  })

  it('never leaves the organization without an admin: pushing or deactivating the last one is refused', async () => {
    const admins = await db().membership.findMany({ where: { organizationId: org.id, role: 'partner_admin' } })
    expect(admins.map((m) => m.userId)).toEqual([admin.id])
    // Finance maps to partner_finance: pushing the only admin into it would demote them.
    const push = await call('POST', '/Groups', { displayName: 'Finance', members: [{ value: admin.id }] })
    expect([push.status, push.body!.detail]).toEqual([409, expect.stringMatching(/last admin/)])
    expect(await db().scimGroup.count({ where: { organizationId: org.id, displayName: 'Finance' } })).toBe(0)
    expect((await db().membership.findFirstOrThrow({ where: { userId: admin.id } })).role).toBe('partner_admin')
    expect((await patch(admin.id, { op: 'replace', path: 'active', value: false })).status).toBe(409)
    expect((await db().user.findUniqueOrThrow({ where: { id: admin.id } })).disabledAt).toBeNull()
  })
})
