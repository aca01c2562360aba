import { describe, expect, it } from 'vitest'
import { termsAuthors } from './terms-authors.ts'

describe('who may not approve a version', () => {
  it('is its drafter, its submitter, and everyone who changed its terms in between', () => {
    const authors = termsAuthors({ createdById: 'drafter', submittedById: 'manager' }, [
      { type: 'drafted', actorUserId: 'drafter' },
      { type: 'terms_updated', actorUserId: 'admin' },
      { type: 'returned_to_draft', actorUserId: 'finance' },
      { type: 'terms_updated', actorUserId: null },
    ])
    expect([...authors].sort()).toEqual(['admin', 'drafter', 'manager'])
    expect(authors.has('finance')).toBe(false)
  })
})
