import { describe, expect, it } from 'vitest'
import { routeLabeler } from './route-label.ts'

describe('route labels for metrics', () => {
  const label = routeLabeler({
    root: { id: 'root', path: '' },
    shell: { id: 'shell', parentId: 'root' },
    portal: { id: 'portal', parentId: 'shell', path: 'portal/:orgSlug' },
    team: { id: 'team', parentId: 'shell', path: 'portal/:orgSlug/team' },
  })
  it('uses the pattern, not the URL, so label cardinality stays bounded', () => {
    expect(label('/portal/acme')).toBe('/portal/:orgSlug')
    expect(label('/portal/acme/team.data')).toBe('/portal/:orgSlug/team')
    expect(label('/nowhere/at/all')).toBe('unmatched')
  })
})
