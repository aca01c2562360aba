import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createCookie } from 'react-router'
import { appUrl } from '#services/config/env.ts'

// Double-submit token: a random value in an httpOnly SameSite=Lax cookie that every form repeats
// in a hidden field (or the X-CSRF-Token header). A cross-site page can neither read the cookie
// nor guess the value; the Origin check refuses cross-site posts on top.
const csrfCookie = () =>
  createCookie('__csrf', { httpOnly: true, sameSite: 'lax', path: '/', secure: appUrl().startsWith('https://') })

export const CSRF_FIELD = 'csrf'

export async function readCsrfCookie(request: Request): Promise<string | undefined> {
  const v = await csrfCookie().parse(request.headers.get('Cookie'))
  return typeof v === 'string' ? v : undefined
}

export const newCsrfToken = () => randomBytes(24).toString('base64url')
export const serializeCsrfCookie = (token: string) => csrfCookie().serialize(token)

const safe = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

export async function csrfProblem(request: Request, cookieToken: string | undefined): Promise<string | null> {
  const origin = request.headers.get('Origin')
  if (origin && origin !== 'null' && origin !== new URL(request.url).origin && origin !== new URL(appUrl()).origin) {
    return 'Cross-site request refused.'
  }
  if (!cookieToken) return 'Your form expired. Reload the page and try again.'
  let submitted = request.headers.get('X-CSRF-Token')
  if (!submitted) {
    const type = request.headers.get('Content-Type') ?? ''
    if (type.includes('form')) {
      const form = await request.clone().formData()
      const v = form.get(CSRF_FIELD)
      submitted = typeof v === 'string' ? v : null
    }
  }
  if (!submitted || !safe(submitted, cookieToken)) return 'Your form expired. Reload the page and try again.'
  return null
}
