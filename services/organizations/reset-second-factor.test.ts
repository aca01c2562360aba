import { describe, expect, it } from 'vitest'
import { decideSecondFactorReset } from './reset-second-factor.ts'

const partnerAdmin = { self: false, targetIsStaff: false, onBehalf: false, actorIsGgmlAdmin: false }

describe('who may reset whose second factor', () => {
  it('lets an organization admin reset at once only what the organization owns', () => {
    expect(decideSecondFactorReset({ ...partnerAdmin, organizationOwnsIdentity: true })).toEqual({ path: 'reset' })
    expect(decideSecondFactorReset({ ...partnerAdmin, organizationOwnsIdentity: false })).toEqual({
      refused: 'not_owned',
    })
    expect(decideSecondFactorReset({ ...partnerAdmin, self: true, organizationOwnsIdentity: true })).toEqual({
      refused: 'self',
    })
  })

  it('needs two ggml admins for staff, whoever asks', () => {
    const staffTarget = { ...partnerAdmin, targetIsStaff: true, organizationOwnsIdentity: true }
    expect(decideSecondFactorReset(staffTarget)).toEqual({ refused: 'staff' })
    expect(decideSecondFactorReset({ ...staffTarget, actorIsGgmlAdmin: true })).toEqual({ path: 'four_eyes' })
  })

  it('gives ggml support the four-eyes path for a partner person, never a reset at once', () => {
    const support = { ...partnerAdmin, onBehalf: true, actorIsGgmlAdmin: true }
    expect(decideSecondFactorReset({ ...support, organizationOwnsIdentity: false })).toEqual({ path: 'four_eyes' })
    expect(decideSecondFactorReset({ ...support, organizationOwnsIdentity: true })).toEqual({ path: 'four_eyes' })
  })
})
