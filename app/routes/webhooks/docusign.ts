import type { Route } from './+types/docusign'
import { receiveDocuSignWebhook } from '#services/contracts/receive-docusign-webhook.ts'

// DocuSign Connect posts here; the HMAC signature over the raw body is the authentication.
export async function action({ request }: Route.ActionArgs) {
  const raw = Buffer.from(await request.arrayBuffer())
  const outcome = await receiveDocuSignWebhook(raw, request.headers)
  return Response.json({ message: outcome.message }, { status: outcome.status })
}

export function loader() {
  return new Response('DocuSign Connect endpoint: POST only.', { status: 405, headers: { Allow: 'POST' } })
}
