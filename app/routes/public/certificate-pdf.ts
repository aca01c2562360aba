import type { Route } from './+types/certificate-pdf'
import { fileResponse } from '#app/lib/file-response.server.ts'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { certificatePdf } from '#services/training/render-certificate-pdf.ts'

// The printable certificate, shown in the browser's viewer; it states the standing as of the download.
export async function loader({ params }: Route.LoaderArgs) {
  const pdf = await certificatePdf(params.certificateId).catch(rethrowAsResponse)
  return fileResponse(pdf.bytes, {
    contentType: 'application/pdf',
    filename: pdf.filename,
    disposition: 'inline',
    cache: 'public',
  })
}
