import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createCookie } from 'react-router'
import { appUrl } from '#services/platform/config/env.ts'
import { macOf } from '#services/platform/security/platform-secret.ts'
import { secureCookies } from './session.server.ts'

/**
 * Signed double-submit tokens: `nonce.mac`, where the MAC (HMAC-SHA256 under a key derived from
 * SESSION_SECRET) binds the nonce to the session it was issued for. The token sits in an httpOnly
 * SameSite=Lax cookie and every form repeats it; a token from before sign-in, from another session or
 * made up by the client does not verify, and signing in or out issues a new one.
 */
const csrfCookie = () => createCookie('__csrf', { httpOnly: true, sameSite: 'lax', path: '/', secure: secureCookies() })

export const CSRF_FIELD = 'csrf'
const EXPIRED = 'Your form expired. Reload the page and try again.'
/** The hidden csrf input comes first in every form; it must appear within the first 64 KB. */
const MULTIPART_HEAD_BYTES = 64 * 1024

const binding = (sessionId: string) => sessionId || 'anonymous'

export function newCsrfToken(sessionId: string): string {
  const nonce = randomBytes(18).toString('base64url')
  return `${nonce}.${macOf('csrf', `${binding(sessionId)}.${nonce}`)}`
}

// Compared as bytes: a string of the token's length in non-ASCII letters is longer in bytes, and
// timingSafeEqual throws on buffers of different lengths (a 500 for a made-up token).
function same(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)]
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * The token as a page carries it: XORed with a fresh random mask, the mask beside it, so no two responses
 * carry the same bytes. Pages are compressed and many echo what the address says (a search, a redirect
 * target): with the token fixed, a network observer who can make the browser load crafted addresses could
 * read it out of the compressed sizes (BREACH). The cookie keeps the token itself.
 */
export function maskCsrfToken(token: string): string {
  const bytes = Buffer.from(token)
  const mask = randomBytes(bytes.length)
  return `${mask.toString('base64url')}~${Buffer.from(bytes.map((b, i) => b ^ mask[i]!)).toString('base64url')}`
}

/** What a form sent, unmasked; a token sent as the cookie holds it (API clients, tests) is taken as it is. */
function unmaskCsrfToken(submitted: string): string {
  const [mask, masked, extra] = submitted.split('~')
  if (masked === undefined) return submitted
  if (!mask || extra !== undefined) return ''
  const m = Buffer.from(mask, 'base64url')
  const x = Buffer.from(masked, 'base64url')
  return m.length === x.length ? Buffer.from(x.map((b, i) => b ^ m[i]!)).toString() : ''
}

export function csrfTokenValid(token: string | undefined, sessionId: string): token is string {
  const [nonce, mac, extra] = (token ?? '').split('.')
  if (!nonce || !mac || extra !== undefined) return false
  return same(mac, macOf('csrf', `${binding(sessionId)}.${nonce}`))
}

export async function readCsrfCookie(request: Request): Promise<string | undefined> {
  const v = await csrfCookie().parse(request.headers.get('Cookie'))
  return typeof v === 'string' ? v : undefined
}

export const serializeCsrfCookie = (token: string) => csrfCookie().serialize(token)

export async function csrfProblem(request: Request, cookieToken: string | undefined, sessionId: string) {
  const origin = request.headers.get('Origin')
  if (origin && origin !== 'null' && origin !== new URL(request.url).origin && origin !== new URL(appUrl()).origin) {
    return 'Cross-site request refused.'
  }
  if (!csrfTokenValid(cookieToken, sessionId)) return EXPIRED
  const submitted = request.headers.get('X-CSRF-Token') ?? (await submittedField(request))
  if (!submitted || !same(unmaskCsrfToken(submitted), cookieToken)) return EXPIRED
  return null
}

/** The form's csrf field, read without buffering an upload: multipart bodies are read only at their head. */
async function submittedField(request: Request): Promise<string | null> {
  const type = request.headers.get('Content-Type') ?? ''
  if (type.startsWith('application/x-www-form-urlencoded')) {
    // The server caps these bodies at 1 MB before they get here.
    const v = (await request.clone().formData()).get(CSRF_FIELD)
    return typeof v === 'string' ? v : null
  }
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(type)
  if (!type.startsWith('multipart/form-data') || !boundary || !request.body) return null
  const delimiter = `\r\n--${boundary[1] ?? boundary[2]}`
  const reader = request.clone().body!.getReader()
  let head = ''
  try {
    while (head.length < MULTIPART_HEAD_BYTES) {
      const { value, done } = await reader.read()
      if (done) break
      head += Buffer.from(value).toString('latin1')
      const start = head.search(new RegExp(`name="${CSRF_FIELD}"\\r\\n\\r\\n`))
      if (start < 0) continue
      const valueStart = head.indexOf('\r\n\r\n', start) + 4
      const end = head.indexOf(delimiter, valueStart)
      if (end >= 0) return head.slice(valueStart, end)
    }
    return null
  } finally {
    // Not awaited: a teed branch's cancel settles only when the other branch ends too. Cancelling
    // stops this branch from buffering the rest of the upload.
    void reader.cancel().catch(() => undefined)
  }
}
