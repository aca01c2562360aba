import { redirect } from 'react-router'
import type { Route } from './+types/start'
import { db } from '#services/db/client.ts'

// /sso/start?org=<slug>: the company sign-in form on /login, to that organization's connection.
export async function loader({ request }: Route.LoaderArgs) {
  const q = new URL(request.url).searchParams
  const slug = (q.get('org') ?? '').trim().toLowerCase()
  const c = /^[a-z0-9-]{1,80}$/.test(slug)
    ? await db().samlConnection.findFirst({
        where: { enabled: true, organization: { slug } },
        orderBy: { createdAt: 'asc' },
        select: { id: true },
      })
    : null
  if (!c) throw redirect('/login?sso=unknown_organization')
  throw redirect(`/sso/${c.id}/login?returnTo=${encodeURIComponent(q.get('returnTo') ?? '/')}`)
}
