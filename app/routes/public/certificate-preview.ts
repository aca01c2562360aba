import type { Route } from './+types/certificate-preview'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { previewImageResponse } from '#app/lib/preview-image.server.ts'
import { certificatePreviewImage } from '#services/training/certificate-preview-image.ts'

// The picture a shared certificate link previews with; drawn from the certificate's standing now.
export async function loader({ params, request }: Route.LoaderArgs) {
  return previewImageResponse(request, await certificatePreviewImage(params.certificateId).catch(rethrowAsResponse))
}
