import type { Route } from './+types/badge-preview'
import { previewImageResponse } from '#app/lib/preview-image.server.ts'
import { badgePreviewImage } from '#services/certification/badge-preview-image.ts'

// The picture a shared badge link previews with; drawn from the badge's standing now.
export async function loader({ params, request }: Route.LoaderArgs) {
  const image = await badgePreviewImage(params.badgeId).catch(() => {
    throw new Response('No such badge.', { status: 404 })
  })
  return previewImageResponse(request, image)
}
