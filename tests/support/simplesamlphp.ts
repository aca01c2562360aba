import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { idpKeys } from './saml-idp.ts'

/** Debian's SimpleSAMLphp (apt-get install simplesamlphp php-cli): an identity provider we did not write. */
export const SIMPLESAMLPHP_WWW = '/usr/share/simplesamlphp/www'
const installed = () => {
  if (!existsSync(SIMPLESAMLPHP_WWW) || !existsSync('/usr/bin/php')) return false
  return spawnSync('php', ['-r', 'exit(class_exists("DOMDocument") ? 0 : 1);']).status === 0
}

/** Installs SimpleSAMLphp with PHP when missing, as root on Debian (like Redis and Chromium), or says how. */
export function ensureSimpleSamlPhp(): void {
  if (installed()) return
  const root = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')
  if (root) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    spawnSync('apt-get', ['install', '-y', '-qq', 'simplesamlphp', 'php-cli', 'php-xml', 'php-mbstring'], {
      env,
      stdio: 'ignore',
    })
  }
  if (!installed())
    throw new Error(
      'SimpleSAMLphp is needed for the SSO browser test: apt-get install simplesamlphp php-cli php-xml (.ci/run does).',
    )
}

/** A TCP port nothing listens on now, for a server that must be told its port up front. */
export const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

const php = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(php).join(', ')}]`
    : v && typeof v === 'object'
      ? `[${Object.entries(v)
          .map(([k, x]) => `${php(k)} => ${php(x)}`)
          .join(', ')}]`
      : typeof v === 'string'
        ? `'${v.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`
        : String(v)

export interface LocalIdp {
  url: string
  entityId: string
  metadataUrl: string
  /** Registers our service provider (its entity id and ACS URL) with the IdP. */
  trustServiceProvider(entityId: string, acsUrl: string): void
  close(): Promise<void>
}

/**
 * SimpleSAMLphp as an identity provider on PHP's built-in server, configured in a temporary folder:
 * its own signing key, users from exampleauth:UserPass with email and groups, responses and
 * assertions both signed with RSA-SHA256.
 */
export async function startSimpleSamlPhp(
  users: Record<string, { password: string; email: string; name: string; groups: string[] }>,
): Promise<LocalIdp> {
  ensureSimpleSamlPhp()
  const dir = mkdtempSync(path.join(tmpdir(), 'simplesamlphp-'))
  for (const d of ['config', 'metadata', 'cert', 'log', 'data', 'tmp']) mkdirSync(path.join(dir, d))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const keys = idpKeys('simplesamlphp-idp')
  writeFileSync(path.join(dir, 'cert', 'idp.key'), keys.key)
  writeFileSync(path.join(dir, 'cert', 'idp.crt'), keys.cert)
  const config = {
    baseurlpath: `${url}/`,
    certdir: `${dir}/cert/`,
    loggingdir: `${dir}/log/`,
    datadir: `${dir}/data/`,
    tempdir: `${dir}/tmp`,
    metadatadir: `${dir}/metadata/`,
    technicalcontact_name: 'Tests',
    technicalcontact_email: 'tests@example.test',
    secretsalt: keys.cert.slice(40, 80),
    'auth.adminpassword': keys.cert.slice(80, 100),
    'admin.protectindexpage': false,
    'admin.protectmetadata': false,
    timezone: 'UTC',
    'logging.handler': 'file',
    'logging.logfile': 'simplesamlphp.log',
    'enable.saml20-idp': true,
    'module.enable': { exampleauth: true, core: true, saml: true, admin: true },
    'store.type': 'phpsession',
    'session.cookie.secure': false,
    'session.phpsession.savepath': `${dir}/tmp`,
    'metadata.sources': [{ type: 'flatfile' }],
    'language.available': ['en'],
    'language.default': 'en',
    showerrors: true,
  }
  writeFileSync(path.join(dir, 'config', 'config.php'), `<?php\n$config = ${php(config)};\n`)
  const userpass: Record<string, unknown> = { 0: 'exampleauth:UserPass' }
  for (const [login, u] of Object.entries(users))
    userpass[`${login}:${u.password}`] = { email: [u.email], displayName: [u.name], groups: u.groups }
  writeFileSync(
    path.join(dir, 'config', 'authsources.php'),
    `<?php\n$config = ['admin' => ['core:AdminPassword'], 'example-userpass' => ${php(userpass)}];\n`,
  )
  const entityId = `${url}/saml2/idp/metadata.php`
  const hosted = {
    host: '__DEFAULT__',
    privatekey: 'idp.key',
    certificate: 'idp.crt',
    auth: 'example-userpass',
    'signature.algorithm': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    'saml20.sign.response': true,
    'saml20.sign.assertion': true,
    NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    'simplesaml.nameidattribute': 'email',
  }
  writeFileSync(
    path.join(dir, 'metadata', 'saml20-idp-hosted.php'),
    `<?php\n$metadata['__DYNAMIC:1__'] = ${php(hosted)};\n`,
  )
  const spFile = path.join(dir, 'metadata', 'saml20-sp-remote.php')
  writeFileSync(spFile, '<?php\n')
  const proc: ChildProcess = spawn('php', ['-S', `127.0.0.1:${port}`, '-t', SIMPLESAMLPHP_WWW], {
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: path.join(dir, 'config') },
    stdio: 'ignore',
  })
  for (let i = 0; ; i++) {
    const ok = await fetch(`${url}/saml2/idp/metadata.php`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (i > 100) throw new Error('SimpleSAMLphp did not start')
    await new Promise((r) => setTimeout(r, 100))
  }
  return {
    url,
    entityId,
    metadataUrl: `${url}/saml2/idp/metadata.php`,
    trustServiceProvider(spEntityId, acsUrl) {
      const sp = {
        AssertionConsumerService: acsUrl,
        NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        'simplesaml.nameidattribute': 'email',
        'saml20.sign.response': true,
        'saml20.sign.assertion': true,
        'signature.algorithm': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      }
      writeFileSync(spFile, `<?php\n$metadata[${php(spEntityId)}] = ${php(sp)};\n`)
    },
    async close() {
      proc.kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
