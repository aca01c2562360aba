import { describe, expect, it } from 'vitest'
import { canAnywhere, canAsStaff, canIn, grantsIn, type Actor, type ActorMembership } from './actor.ts'
import { partnerRoles, permissions, permissionsOf, tokenOnlyPermissions, roles, staffRoles } from './permissions.ts'

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
        'admin.view',
        'organizations.list',
        'organizations.create',
        'audit_log.read',
        'jobs.retry',
        'mail.read',
        'adjustments.approve',
        'periods.close',
        'certification.review',
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
    expect(canIn(a, 'a', 'team.invite')).toBe(true)
    expect(canIn(a, 'b', 'portal.view')).toBe(false)
    expect(canAnywhere(a, 'portal.view')).toBe(true)
    expect(canAsStaff(a, 'portal.view')).toBe(false)
  })

  it('lets staff act inside a partner only where the matrix says, and marks it as on behalf', () => {
    const engineer = actor(member('ggml', 'ggml', 'certification_engineer'))
    expect(grantsIn(engineer, 'acme')).toMatchObject({ onBehalf: true })
    expect(canIn(engineer, 'acme', 'certification.queue_run')).toBe(true)
    expect(canIn(engineer, 'acme', 'royalties.view')).toBe(false)
    expect(canIn(engineer, 'acme', 'contracts.sign')).toBe(false)
    const finance = actor(member('ggml', 'ggml', 'finance'))
    expect(canIn(finance, 'acme', 'adjustments.approve')).toBe(true)
    expect(canIn(finance, 'acme', 'team.invite')).toBe(false)
    expect(canIn(finance, 'acme', 'royalties.report')).toBe(false)
    // A partner member is never "on behalf" of its own organization.
    expect(grantsIn(actor(member('acme', 'oem_partner', 'partner_finance')), 'acme').onBehalf).toBe(false)
  })

  it('names every permission after an action (area.verb), and grants each one to some role', () => {
    for (const p of permissions) expect(p).toMatch(/^[a-z_]+\.[a-z_]+$/)
    const granted = new Set(roles.flatMap((r) => permissionsOf(r)))
    for (const p of permissions)
      if (!tokenOnlyPermissions.has(p)) expect(granted, `${p} is granted to no role`).toContain(p)
    for (const p of tokenOnlyPermissions) expect(granted, `${p} is for API tokens only`).not.toContain(p)
  })

  it('lists every staff role in the matrix', () => {
    for (const r of staffRoles) expect(roles).toContain(r)
  })
})
