import { describe, expect, it } from 'vitest'
import { assertSafeSamlLibraries, atLeast, installedVersion } from './saml-libraries.ts'

describe('SAML library versions', () => {
  it('compares versions', () => {
    expect(atLeast('5.1.0', '5.1.0')).toBe(true)
    expect(atLeast('5.0.9', '5.1.0')).toBe(false)
    expect(atLeast('6.3.2', '6.1.0')).toBe(true)
    expect(atLeast('10.0.0', '6.1.0')).toBe(true)
    expect(atLeast('4.0.0-beta.5', '5.1.0')).toBe(false)
  })

  it('passes with what is installed and refuses vulnerable versions', () => {
    expect(() => assertSafeSamlLibraries()).not.toThrow()
    expect(atLeast(installedVersion('xml-crypto'), '6.1.0')).toBe(true)
    expect(() => assertSafeSamlLibraries((n) => (n === 'xml-crypto' ? '6.0.0' : '5.1.0'))).toThrow(
      /xml-crypto 6.0.0 \(needs 6.1.0 or later\)/,
    )
    expect(() => assertSafeSamlLibraries((n) => (n === 'xml-crypto' ? '6.1.0' : '4.0.5'))).toThrow(
      /@node-saml\/node-saml 4.0.5/,
    )
  })
})
