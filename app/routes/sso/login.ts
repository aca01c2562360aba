import { redirect } from 'react-router'
import type { Route } from './+types/login'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { startSamlSignIn } from '#services/sso/start-saml-sign-in.ts'

// /sso/<connection>/login: SP-initiated sign-in, a redirect to the identity provider.
export async function loader({ request, params }: Route.LoaderArgs) {
  const returnTo = new URL(request.url).searchParams.get('returnTo')
  throw redirect(await startSamlSignIn(params.connectionId, returnTo).catch(rethrowAsResponse))
}
