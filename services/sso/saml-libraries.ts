import { z } from 'zod'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * Versions below these let an attacker sign in as anyone (node-saml < 5.1.0: CVE-2025-54419 and
 * the signature-wrapping fixes; xml-crypto < 6.1: CVE-2025-29774/29775, comment and DigestValue
 * tricks). The platform refuses to start with either.
 */
export const SAFE_SAML_VERSIONS = { '@node-saml/node-saml': '5.1.0', 'xml-crypto': '6.1.0' } as const

const require = createRequire(import.meta.url)

const parts = (v: string) =>
  v
    .split(/[.+-]/)
    .slice(0, 3)
    .map((x) => Number(x) || 0)
export const atLeast = (version: string, min: string): boolean => {
  const [a, b] = [parts(version), parts(min)]
  for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return a[i]! > b[i]!
  return true
}

const packageJson = z.looseObject({ name: z.string().optional(), version: z.string() })

/** The installed version of a package, read from its own package.json (what Node would load). */
export function installedVersion(name: string, from = require): string {
  let dir = path.dirname(from.resolve(name))
  for (;;) {
    try {
      const pkg = packageJson.parse(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')))
      if (pkg.name === name) return pkg.version
    } catch {
      /* not here: look one folder up */
    }
    const up = path.dirname(dir)
    if (up === dir) throw new Error(`cannot find ${name}'s package.json`)
    dir = up
  }
}

/** xml-crypto as node-saml loads it (its own copy, if npm nested one), else the top-level one. */
const asNodeSamlLoadsIt = (name: string) =>
  name === 'xml-crypto'
    ? installedVersion(name, createRequire(require.resolve('@node-saml/node-saml')))
    : installedVersion(name)

/** Every SAML library in use, including node-saml's own copy of xml-crypto, at a safe version or throw. */
export function assertSafeSamlLibraries(versionOf: (name: string) => string = asNodeSamlLoadsIt): void {
  const found: string[] = []
  const samlVersion = versionOf('@node-saml/node-saml')
  if (!atLeast(samlVersion, SAFE_SAML_VERSIONS['@node-saml/node-saml']))
    found.push(`@node-saml/node-saml ${samlVersion} (needs ${SAFE_SAML_VERSIONS['@node-saml/node-saml']} or later)`)
  const crypto = versionOf('xml-crypto')
  if (!atLeast(crypto, SAFE_SAML_VERSIONS['xml-crypto']))
    found.push(`xml-crypto ${crypto} (needs ${SAFE_SAML_VERSIONS['xml-crypto']} or later)`)
  if (found.length)
    throw new Error(`Refusing to start: SAML libraries with sign-in-as-anyone vulnerabilities: ${found.join('; ')}.`)
}
