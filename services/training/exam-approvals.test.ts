import { describe, expect, it } from 'vitest'
import { mayDecideExamRequest } from './exam-approvals.ts'

const instructor = { accommodation: true, revocation: true }
const nobody = { accommodation: false, revocation: false }

describe('who decides an exam request (issue 30)', () => {
  it('never the person who asked, even an admin', () => {
    for (const kind of ['accommodation', 'certificate_revocation'] as const) {
      expect(mayDecideExamRequest(kind, { requester: true, instructorFor: instructor, admin: false })).toBe(false)
      expect(mayDecideExamRequest(kind, { requester: true, instructorFor: instructor, admin: true })).toBe(false)
    }
  })

  it('a second instructor who could have asked for it, or an admin', () => {
    const second = { requester: false, instructorFor: instructor, admin: false }
    expect(mayDecideExamRequest('accommodation', second)).toBe(true)
    expect(mayDecideExamRequest('certificate_revocation', second)).toBe(true)
    const admin = { requester: false, instructorFor: { accommodation: false, revocation: true }, admin: true }
    expect(mayDecideExamRequest('accommodation', admin)).toBe(true)
    const staff = { requester: false, instructorFor: nobody, admin: false }
    expect(mayDecideExamRequest('accommodation', staff)).toBe(false)
    expect(mayDecideExamRequest('certificate_revocation', staff)).toBe(false)
  })
})
