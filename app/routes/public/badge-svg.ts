import type { Route } from './+types/badge-svg'
import { badgeSvg, publicBadge } from '#services/certification/badges.ts'

export async function loader({ params }: Route.LoaderArgs) {
  const b = await publicBadge(params.badgeId).catch(() => {
    throw new Response('No such badge.', { status: 404 })
  })
  return new Response(badgeSvg(b.summary, b.standing, b.assurance), {
    headers: { 'Content-Type': 'image/svg+xml; charset=utf-8', 'Cache-Control': 'public, max-age=300' },
  })
}
