import { describe, expect, it } from 'vitest'
import { canAnywhere, canAsStaff, canIn, type Actor, type ActorMembership } from './actor.ts'
import { partnerRoles, permissionsOf, roles, staffRoles } from './permissions.ts'

const member = (
  organizationId: string,
  kind: ActorMembership['organizationKind'],
  role: ActorMembership['role'],
): ActorMembership => ({
  organizationId,
  organizationSlug: organizationId,
  organizationName: organizationId,
  organizationKind: kind,
  role,
})
const actor = (...memberships: ActorMembership[]): Actor => ({
  userId: 'u',
  email: 'u@example.test',
  name: 'U',
  sessionId: 's',
  memberships,
})

describe('the permission matrix', () => {
  it('gives every role at least one permission and partner roles no staff powers', () => {
    for (const role of roles) expect(permissionsOf(role).length).toBeGreaterThan(0)
    for (const role of partnerRoles) {
      for (const p of [
        'admin.access',
        'partners.read_any',
        'audit.read',
        'jobs.manage',
        'mail.read',
        'organizations.manage',
      ] as const) {
        expect(permissionsOf(role)).not.toContain(p)
      }
    }
  })

  it('treats staff roles as staff only inside the ggml organization', () => {
    const real = actor(member('ggml', 'ggml', 'finance'))
    const impostor = actor(member('acme', 'oem_partner', 'finance'))
    expect(canAsStaff(real, 'finance.view')).toBe(true)
    expect(canAsStaff(impostor, 'finance.view')).toBe(false)
    expect(canIn(impostor, 'other', 'portal.view')).toBe(false)
  })

  it('scopes partner roles to their own organization', () => {
    const a = actor(member('a', 'oem_partner', 'partner_admin'))
    expect(canIn(a, 'a', 'team.manage')).toBe(true)
    expect(canIn(a, 'b', 'portal.view')).toBe(false)
    expect(canAnywhere(a, 'portal.view')).toBe(true)
    expect(canAsStaff(a, 'portal.view')).toBe(false)
  })

  it('lists every staff role in the matrix', () => {
    for (const r of staffRoles) expect(roles).toContain(r)
  })
})
