import { createCookie, redirect, type RouterContextProvider } from 'react-router'
import { appUrl, env, isDeployment } from '#services/platform/config/env.ts'
import { canAnywhere, canAsStaff, type Actor } from '#services/identity/actor.ts'
import type { Permission } from '#services/identity/permissions.ts'
import { actorContext } from './context.server.ts'

/** Secure in a deployment whatever APP_URL says (a proxy may terminate TLS); elsewhere when APP_URL is https. */
export const secureCookies = () => isDeployment() || appUrl().startsWith('https://')

export const sessionCookie = () =>
  createCookie('__session', {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: secureCookies(),
    maxAge: env().SESSION_MAX_DAYS * 24 * 3600,
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

/** The one safe-redirect rule (services/platform/security/safe-redirect.ts), for routes. */
export { safeRedirect } from '#services/platform/security/safe-redirect.ts'
