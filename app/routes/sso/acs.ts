import { redirect } from 'react-router'
import type { Route } from './+types/acs'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { commitSession } from '#app/lib/session.server.ts'
import { currentRequest } from '#services/platform/observability/request-context.ts'
import { consumeSamlResponse } from '#services/sso/consume-saml-response.ts'
import { SamlRefusal } from '#services/sso/saml-refusal.ts'

export const loader = () => {
  throw new Response('The identity provider posts here; start from the sign-in page.', { status: 405 })
}

// /sso/<connection>/acs: the identity provider posts the SAMLResponse here.
export async function action({ request, params }: Route.ActionArgs) {
  const form = await request.formData()
  try {
    const r = await consumeSamlResponse(
      params.connectionId,
      { SAMLResponse: form.get('SAMLResponse'), RelayState: form.get('RelayState') },
      { ip: currentRequest()?.ip, userAgent: request.headers.get('user-agent') ?? undefined },
    )
    return redirect(r.returnTo, { headers: { 'Set-Cookie': await commitSession(r.token) } })
  } catch (e) {
    if (e instanceof SamlRefusal) return redirect(`/login?sso=${e.reason}`)
    rethrowAsResponse(e)
  }
}
