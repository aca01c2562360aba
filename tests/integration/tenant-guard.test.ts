import { describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { actorFromSessionToken, createSession } from '../../services/identity/sessions.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'
import { createOrganization, createUser, ggmlOrganization } from '../support/fixtures.ts'

async function actorFor(userId: string) {
  const { token } = await createSession(db(), userId, {})
  return (await actorFromSessionToken(token))!
}

describe('the tenancy guard', () => {
  it('opens a partner’s own organization and refuses another with not_found', async () => {
    const a = await createOrganization()
    const b = await createOrganization()
    const actor = await actorFor((await createUser(a.id, 'partner_engineer')).id)
    await expect(tenantScope(actor, { slug: a.slug }, 'portal.view')).resolves.toMatchObject({
      organization: { id: a.id },
    })
    await expect(tenantScope(actor, { slug: b.slug }, 'portal.view')).rejects.toMatchObject({ code: 'not_found' })
    await expect(tenantScope(actor, { id: b.id }, 'portal.view')).rejects.toMatchObject({ code: 'not_found' })
    await expect(tenantScope(actor, { slug: a.slug }, 'team.invite')).rejects.toMatchObject({ code: 'not_found' })
  })

  it('lets staff with a cross-partner role read any partner, but not manage its team', async () => {
    const b = await createOrganization()
    const staff = await actorFor((await createUser((await ggmlOrganization()).id, 'finance')).id)
    await expect(tenantScope(staff, { slug: b.slug }, 'portal.view')).resolves.toBeTruthy()
    await expect(tenantScope(staff, { slug: b.slug }, 'team.invite')).rejects.toMatchObject({ code: 'not_found' })
  })

  it('gives a client that cannot read, change or create another organization’s rows, even by id', async () => {
    const a = await createOrganization()
    const b = await createOrganization()
    const bMember = await createUser(b.id, 'partner_admin')
    const bMembership = await db().membership.findFirstOrThrow({ where: { userId: bMember.id } })
    const scope = await tenantScope(
      await actorFor((await createUser(a.id, 'partner_admin')).id),
      { slug: a.slug },
      'team.invite',
    )

    expect(await scope.db.membership.findUnique({ where: { id: bMembership.id } })).toBeNull()
    expect((await scope.db.membership.findMany()).every((m) => m.organizationId === a.id)).toBe(true)
    expect((await scope.db.membership.deleteMany({ where: { id: bMembership.id } })).count).toBe(0)
    expect(
      (await scope.db.membership.updateMany({ where: { id: bMembership.id }, data: { role: 'partner_finance' } }))
        .count,
    ).toBe(0)
    await expect(
      scope.db.invitation.create({
        data: {
          id: newId(),
          organizationId: b.id,
          email: 'x@example.test',
          role: 'partner_admin',
          tokenHash: newId(),
          expiresAt: new Date(),
        },
      }),
    ).rejects.toMatchObject({ code: 'forbidden' })
    expect(await db().membership.findUnique({ where: { id: bMembership.id } })).toMatchObject({ role: 'partner_admin' })
    expect(await db().invitation.count({ where: { organizationId: b.id } })).toBe(0)
  })
})
