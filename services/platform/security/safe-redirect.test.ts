import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeRedirect } from './safe-redirect.ts'

const ORIGIN = 'https://platform.example'
// The oracle is the browser's own parser (WHATWG URL), not our rule: wherever a browser, or a server
// that decodes the path once more, would land on another origin, the redirect must not go there.
const landsHome = (location: string) => {
  const once = new URL(location, ORIGIN)
  let twice: URL
  try {
    twice = new URL(decodeURIComponent(location), ORIGIN)
  } catch {
    twice = once
  }
  return once.origin === ORIGIN && twice.origin === ORIGIN
}

const hostile = [
  '//evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '/%2F%2Fevil.example',
  '/%2f/evil.example',
  '/%5Cevil.example',
  '/%5C%5Cevil.example',
  '/%09/evil.example',
  'https://evil.example',
  'javascript:alert(1)',
  ' /evil',
  'evil.example',
  '/\u2215\u2215evil.example',
  '/\uff0f\uff0fevil.example',
  '/\u2044evil.example',
  '/\u200b/evil.example',
  '/\u3000/evil.example',
  '\u0000//evil.example',
  '/%E2%88%95evil.example',
]

describe('safeRedirect', () => {
  it.each(hostile)('refuses %j', (to) => {
    expect(safeRedirect(to)).toBe('/')
  })

  it('keeps ordinary paths, queries and fragments', () => {
    expect(safeRedirect('/portal/acme/invoices?status=open#top')).toBe('/portal/acme/invoices?status=open#top')
    expect(safeRedirect('/learn?q=a%2Fb')).toBe('/learn?q=a%2Fb')
    expect(safeRedirect(null, '/home')).toBe('/home')
  })

  it('never sends a browser to another origin, whatever the path (property)', () => {
    const piece = fc.constantFrom(
      '/',
      '//',
      '\\',
      '\t',
      '\n',
      '%2F',
      '%2f',
      '%5C',
      '%09',
      '%00',
      '@',
      ':',
      'evil.example',
      'https:',
      'javascript:',
      '\u2215',
      '\uff0f',
      '\u200b',
      '..',
      '.',
      '?',
      '#',
      'a',
    )
    fc.assert(
      fc.property(fc.array(fc.oneof(piece, fc.string({ maxLength: 4 })), { maxLength: 8 }), (parts) => {
        const location = safeRedirect(parts.join(''))
        expect(location.startsWith('/')).toBe(true)
        expect(landsHome(location)).toBe(true)
      }),
      { numRuns: 5000 },
    )
  })
})
