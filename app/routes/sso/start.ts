import { redirect } from 'react-router'
import type { Route } from './+types/start'
import { safeRedirect } from '#app/lib/session.server.ts'
import { ssoConnectionFor } from '#services/sso/start-saml-sign-in.ts'

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

// /sso/start?org=<slug>: the company sign-in form on /login, to that organization's connection. It
// answers with a page that moves on to /sso/<id>/login, not a redirect: the form's CSP (form-action
// 'self') would stop a redirect chain that ends at the identity provider.
export async function loader({ request }: Route.LoaderArgs) {
  const q = new URL(request.url).searchParams
  const c = await ssoConnectionFor(q.get('org') ?? '')
  if (!c) throw redirect('/login?sso=unknown_organization')
  const next = escape(`/sso/${c.id}/login?returnTo=${encodeURIComponent(safeRedirect(q.get('returnTo')))}`)
  return new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Single sign-on</title>` +
      `<meta http-equiv="refresh" content="0;url=${next}"></head>` +
      `<body><p><a href="${next}">Continue to your identity provider</a></p></body></html>`,
    { headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' } },
  )
}
