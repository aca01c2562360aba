import { describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { acceptInvitation } from '../../services/organizations/accept-invitation.ts'
import { requestPasswordReset } from '../../services/identity/request-password-reset.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { createOrganization as addOrganization } from '../../services/organizations/create-organization.ts'
import { inviteFirstAdmin } from '../../services/organizations/invite-first-admin.ts'
import { inviteMember } from '../../services/organizations/invite-member.ts'
import { linkToken } from '../../services/identity/tokens.ts'
import { removeMember } from '../../services/organizations/remove-member.ts'
import { eligibleSigners } from '../../services/contracts/send-for-signature.ts'
import { signIn } from '../../services/identity/sign-in.ts'
import { createScimToken } from '../../services/api-tokens/create-scim-token.ts'
import { apiTokenScope } from '../../services/tenancy/tenant-guard.ts'
import { scopeFor } from '../support/contracts.ts'
import { createOrganization, createUser, ggmlOrganization, unique, verifiedDomain } from '../support/fixtures.ts'
import { drainJobs } from '../support/jobs.ts'

const inviteLink = async (organizationId: string, email: string) => {
  const inv = await db().invitation.findFirstOrThrow({
    where: { organizationId, email },
    orderBy: { createdAt: 'desc' },
  })
  return linkToken('invitation-link', inv.id)
}

describe("a new organization's first admin (issue 25)", () => {
  it('is invited by ggml staff when the organization is added, and only while it has no admin', async () => {
    const staff = await createUser((await ggmlOrganization()).id, 'ggml_admin')
    const actor = await actorForUser(staff.id)
    const slug = unique('newco')
    const email = `${unique('first')}@newco.example`
    const org = await addOrganization(actor, {
      name: `Newco ${slug}`,
      slug,
      kind: 'oem_partner',
      firstAdminEmail: email,
    })
    const invitation = await db().invitation.findFirstOrThrow({ where: { organizationId: org.id } })
    expect([invitation.email, invitation.role]).toEqual([email, 'partner_admin'])
    await drainJobs()
    expect(await db().mailMessage.count({ where: { to: email } })).toBe(1)
    const accepted = await acceptInvitation(
      await inviteLink(org.id, email),
      { name: 'First Admin', password: 'a long enough password 1' },
      {},
    )
    expect(accepted.organizationSlug).toBe(slug)
    const member = await db().membership.findFirstOrThrow({ where: { organizationId: org.id } })
    expect(member.role).toBe('partner_admin')
    // From now on its admins decide who joins.
    await expect(inviteFirstAdmin(actor, { organizationSlug: slug, email: `x@${slug}.example` })).rejects.toThrow(
      /already has an admin/,
    )
  })

  it('cannot be invited by anyone but staff who add organizations', async () => {
    const empty = await createOrganization('enterprise', unique('Empty'))
    const other = await createOrganization('enterprise', unique('Other'))
    const partnerAdmin = await createUser(other.id, 'partner_admin')
    const finance = await createUser((await ggmlOrganization()).id, 'finance')
    for (const who of [partnerAdmin, finance])
      await expect(
        inviteFirstAdmin(await actorForUser(who.id), { organizationSlug: empty.slug, email: 'me@evil.example' }),
      ).rejects.toThrow(/Only ggml staff/)
    expect(await db().invitation.count({ where: { organizationId: empty.id } })).toBe(0)
  })
})

describe('a person in two organizations (issue 25, decision 018)', () => {
  /** Pat administers A, in A's verified domain, and is asked to join B too. */
  async function pat() {
    const a = await createOrganization('oem_partner', unique('Org A'))
    const domain = await verifiedDomain(a.id)
    const person = await createUser(a.id, 'partner_admin', `${unique('pat')}@${domain}`)
    const b = await createOrganization('enterprise', unique('Org B'))
    const bAdmin = await createUser(b.id, 'partner_admin')
    return { a, b, person, bAdmin }
  }

  it('joins another organization only by their own sign-in, which changes nothing of their account', async () => {
    const { a, b, person, bAdmin } = await pat()
    await inviteMember(await scopeFor(bAdmin.id, b.id, 'team.invite'), {
      email: person.email,
      role: 'partner_engineer',
    })
    const token = await inviteLink(b.id, person.email)
    const before = await db().user.findUniqueOrThrow({ where: { id: person.id } })
    // Whoever holds the link cannot accept for Pat, nor set a password on Pat's account with it.
    await expect(
      acceptInvitation(token, { name: 'Mallory', password: 'mallory chooses this one' }, {}),
    ).rejects.toThrow(/Sign in as/)
    await expect(acceptInvitation(token, { password: 'x' }, { signedInEmail: bAdmin.email })).rejects.toThrow(
      /Sign in as/,
    )
    await acceptInvitation(token, {}, { signedInEmail: person.email })
    const after = await db().user.findUniqueOrThrow({ where: { id: person.id }, include: { memberships: true } })
    expect([after.passwordHash, after.name, after.email]).toEqual([before.passwordHash, before.name, before.email])
    expect(after.memberships.map((m) => [m.organizationId, m.role]).sort()).toEqual(
      [
        [a.id, 'partner_admin'],
        [b.id, 'partner_engineer'],
      ].sort(),
    )
  })

  it('has a password reset sent to their own address only: no organization can point it elsewhere', async () => {
    const { person } = await pat()
    const since = new Date()
    await requestPasswordReset(person.email, '203.0.113.9')
    await drainJobs()
    const sent = await db().mailMessage.findMany({
      where: { createdAt: { gte: since }, subject: { contains: 'password' } },
    })
    expect(sent.map((m) => m.to)).toEqual([person.email])
  })
})

describe("what an attacker's review found (issue 25)", () => {
  it('two admins removing each other at once leave the organization one admin', async () => {
    const org = await createOrganization('enterprise', unique('Duel'))
    const x = await createUser(org.id, 'partner_admin')
    const y = await createUser(org.id, 'partner_admin')
    const membershipOf = async (u: { id: string }) =>
      (await db().membership.findFirstOrThrow({ where: { userId: u.id, organizationId: org.id } })).id
    const [mx, my] = [await membershipOf(x), await membershipOf(y)]
    const results = await Promise.allSettled([
      removeMember(await scopeFor(x.id, org.id, 'team.remove'), my),
      removeMember(await scopeFor(y.id, org.id, 'team.remove'), mx),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(await db().membership.count({ where: { organizationId: org.id, role: 'partner_admin' } })).toBe(1)
  })

  it('a lesser invitation accepted late never demotes the last admin', async () => {
    const org = await createOrganization('enterprise', unique('Late'))
    const x = await createUser(org.id, 'partner_admin')
    const email = `${unique('y')}@late.example`
    const scope = await scopeFor(x.id, org.id, 'team.invite')
    await inviteMember(scope, { email, role: 'partner_admin' })
    const asAdmin = await inviteLink(org.id, email)
    await inviteMember(scope, { email, role: 'partner_engineer' })
    const asEngineer = await inviteLink(org.id, email)
    await acceptInvitation(asAdmin, { name: 'Y', password: 'a long enough password 1' }, {})
    const y = await db().user.findUniqueOrThrow({ where: { email } })
    await removeMember(
      await scopeFor(y.id, org.id, 'team.remove'),
      (await db().membership.findFirstOrThrow({ where: { userId: x.id } })).id,
    )
    await acceptInvitation(asEngineer, {}, { signedInEmail: email })
    expect((await db().membership.findFirstOrThrow({ where: { userId: y.id, organizationId: org.id } })).role).toBe(
      'partner_admin',
    )
  })

  it('a deactivated member is asked to sign nothing, and a token they made stops working', async () => {
    const org = await createOrganization('enterprise', unique('Offboard'))
    await verifiedDomain(org.id)
    const stays = await createUser(org.id, 'partner_admin')
    const leaves = await createUser(org.id, 'partner_admin')
    const { secret } = await createScimToken(await scopeFor(leaves.id, org.id, 'sso.configure'), { name: 'Okta' })
    await apiTokenScope(`Bearer ${secret}`, 'scim:provision')
    await db().membership.updateMany({ where: { userId: leaves.id }, data: { deactivatedAt: new Date() } })
    expect((await eligibleSigners(org.id)).map((s) => s.id)).toEqual([stays.id])
    await expect(apiTokenScope(`Bearer ${secret}`, 'scim:provision')).rejects.toThrow(/no longer an active member/)
  })

  it("a domain that requires SSO locks out only the people its organization owns, not another's admin", async () => {
    const a = await createOrganization('enterprise', unique('Org A'))
    const domain = await verifiedDomain(a.id)
    await db().organizationDomain.update({ where: { domain }, data: { requireSso: true } })
    const owned = await createUser(a.id, 'partner_engineer', `${unique('own')}@${domain}`)
    const b = await createOrganization('enterprise', unique('Org B'))
    const bAdmin = await createUser(b.id, 'partner_admin', `${unique('badmin')}@${domain}`)
    await db().membership.create({
      data: { id: unique('m'), userId: bAdmin.id, organizationId: a.id, role: 'partner_engineer' },
    })
    await expect(signIn({ email: owned.email, password: owned.password })).rejects.toThrow(/single sign-on/)
    expect((await signIn({ email: bAdmin.email, password: bAdmin.password })).kind).toBe('session')
  })
})
