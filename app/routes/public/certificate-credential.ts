import type { Route } from './+types/certificate-credential'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { certificateCredential } from '#services/training/certificate-credential.ts'

// The certificate's signed Open Badges 3.0 credential, for verifiers and wallets.
export async function loader({ params }: Route.LoaderArgs) {
  return Response.json(await certificateCredential(params.certificateId).catch(rethrowAsResponse), {
    headers: { 'Cache-Control': 'public, max-age=300' },
  })
}
