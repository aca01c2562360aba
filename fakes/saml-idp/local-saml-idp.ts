import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import path from 'node:path'
import { inflateRawSync } from 'node:zlib'
import { DOMParser } from '@xmldom/xmldom'
import selfsigned from 'selfsigned'
import { idpMetadata, responseXml } from './saml-response.ts'

export interface LocalIdpUser {
  email: string
  name: string
  password: string
  groups: string[]
}

export interface LocalSamlIdp {
  url: string
  entityId: string
  metadataUrl: string
  metadata: string
  close(): Promise<void>
}

const html = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${html(title)}</title>` +
  `<style>body{font:16px system-ui;margin:3rem auto;max-width:28rem}label{display:block;margin:.6rem 0}` +
  `input,select{font:inherit;width:100%}</style></head><body>${body}</body></html>`

async function keys(dir?: string): Promise<{ key: string; cert: string }> {
  const file = dir ? path.join(dir, 'idp-keys.json') : undefined
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { key: string; cert: string }
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'Local identity provider' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 5 * 365 * 86_400_000),
  })
  const k = { key: pems.private, cert: pems.cert }
  if (file && dir) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(file, JSON.stringify(k), { mode: 0o600 })
  }
  return k
}

/**
 * The demo's identity provider: SAML 2.0 HTTP-Redirect in, HTTP-POST out, responses and assertions
 * signed with RSA-SHA256 like Okta's. It shows a sign-in form for its few users and posts their
 * signed response back to the service provider that asked. For the demo only; tests also use
 * Debian's SimpleSAMLphp, which we did not write.
 */
export async function bootLocalSamlIdp(opts: {
  port: number
  dir?: string
  users: LocalIdpUser[]
}): Promise<LocalSamlIdp> {
  const url = `http://127.0.0.1:${opts.port}`
  const entityId = `${url}/metadata`
  const k = await keys(opts.dir)
  const metadata = idpMetadata(entityId, `${url}/sso`, [k.cert])
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', url)
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' })
      res.end(body)
    }
    if (req.method === 'GET' && u.pathname === '/metadata') return send(200, 'application/samlmetadata+xml', metadata)
    if (req.method === 'GET' && u.pathname === '/sso') {
      let request: { id: string; acs: string; issuer: string }
      try {
        const xml = inflateRawSync(Buffer.from(u.searchParams.get('SAMLRequest') ?? '', 'base64')).toString('utf8')
        const root = new DOMParser().parseFromString(xml, 'text/xml').documentElement!
        const issuer = root.getElementsByTagNameNS('urn:oasis:names:tc:SAML:2.0:assertion', 'Issuer')[0]
        request = {
          id: root.getAttribute('ID') ?? '',
          acs: root.getAttribute('AssertionConsumerServiceURL') ?? '',
          issuer: issuer?.textContent ?? '',
        }
        if (!request.id || !/^https?:\/\//.test(request.acs)) throw new Error('incomplete request')
      } catch {
        return send(400, 'text/html', page('Bad request', '<p>This is not a SAML AuthnRequest.</p>'))
      }
      const hidden = (n: string, v: string) => `<input type="hidden" name="${n}" value="${html(v)}">`
      return send(
        200,
        'text/html',
        page(
          'Local identity provider',
          `<h1>Local identity provider</h1><p>Sign in to continue to ${html(new URL(request.acs).host)}.</p>` +
            `<form method="post" action="/sso/login">${hidden('id', request.id)}${hidden('acs', request.acs)}` +
            `${hidden('sp', request.issuer)}${hidden('relay', u.searchParams.get('RelayState') ?? '')}` +
            `<label>Email <select name="email">${opts.users.map((x) => `<option>${html(x.email)}</option>`).join('')}` +
            `</select></label><label>Password <input type="password" name="password"></label>` +
            `<p class="hint">Demo users' password: ${html(opts.users[0]?.password ?? '')}</p>` +
            `<button type="submit">Sign in</button></form>`,
        ),
      )
    }
    if (req.method === 'POST' && u.pathname === '/sso/login') {
      let raw = ''
      req.on('data', (c: Buffer) => {
        raw += c.toString('utf8')
        if (raw.length > 20_000) req.destroy()
      })
      req.on('end', () => {
        const f = new URLSearchParams(raw)
        const user = opts.users.find((x) => x.email === f.get('email') && x.password === f.get('password'))
        if (!user) return send(401, 'text/html', page('Wrong password', '<p>Wrong email or password. Go back.</p>'))
        const xml = responseXml({
          idpEntityId: entityId,
          spEntityId: f.get('sp') ?? '',
          acsUrl: f.get('acs') ?? '',
          inResponseTo: f.get('id'),
          email: user.email,
          groups: user.groups,
          keys: k,
        })
        const post =
          `<form method="post" action="${html(f.get('acs') ?? '')}">` +
          `<input type="hidden" name="SAMLResponse" value="${Buffer.from(xml).toString('base64')}">` +
          `<input type="hidden" name="RelayState" value="${html(f.get('relay') ?? '')}">` +
          `<button type="submit">Continue</button></form><script>document.forms[0].submit()</script>`
        send(200, 'text/html', page('Signing you in', post))
      })
      return
    }
    send(404, 'text/plain', 'Not found')
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, '127.0.0.1', () => resolve())
  })
  return {
    url,
    entityId,
    metadataUrl: `${url}/metadata`,
    metadata,
    close: () => new Promise((r) => server.close(() => r())),
  }
}
