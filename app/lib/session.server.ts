import { createCookie, redirect, type RouterContextProvider } from 'react-router'
import { appUrl } from '#services/config/env.ts'
import { canAnywhere, canAsStaff, type Actor } from '#services/identity/actor.ts'
import type { Permission } from '#services/identity/permissions.ts'
import { SESSION_TTL_MS } from '#services/identity/sessions.ts'
import { actorContext } from './context.server.ts'

const secure = () => appUrl().startsWith('https://')

export const sessionCookie = () =>
  createCookie('__session', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secure(),
    maxAge: SESSION_TTL_MS / 1000,
  })

export async function readSessionToken(request: Request): Promise<string | undefined> {
  const value = await sessionCookie().parse(request.headers.get('Cookie'))
  return typeof value === 'string' ? value : undefined
}

export const commitSession = (token: string) => sessionCookie().serialize(token)
export const destroySession = () => sessionCookie().serialize('', { maxAge: 0 })

export function requireActor(context: Readonly<RouterContextProvider>, request: Request): Actor {
  const actor = context.get(actorContext)
  if (!actor) {
    const url = new URL(request.url)
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}`)
  }
  return actor
}

/** For staff areas: refuse with 403 rather than reveal anything. */
export function requireStaff(
  context: Readonly<RouterContextProvider>,
  request: Request,
  permission: Permission,
): Actor {
  const actor = requireActor(context, request)
  if (!canAsStaff(actor, permission)) throw new Response('You do not have access to this page.', { status: 403 })
  return actor
}

export function requireAnywhere(
  context: Readonly<RouterContextProvider>,
  request: Request,
  permission: Permission,
): Actor {
  const actor = requireActor(context, request)
  if (!canAnywhere(actor, permission)) throw new Response('You do not have access to this page.', { status: 403 })
  return actor
}

/** Only same-site relative paths: an open redirect would make sign-in a phishing tool. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  return to
}
