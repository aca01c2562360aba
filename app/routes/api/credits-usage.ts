import { timingSafeEqual, createHash } from 'node:crypto'
import type { Route } from './+types/credits-usage'
import { apiAttempt, apiError, readJsonBody } from '#app/lib/api.server.ts'
import { cloudServiceToken } from '#services/credits/cloud-token.ts'
import { recordUsage } from '#services/credits/record-usage.ts'

const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * POST /api/v1/credits/usage: GGML Cloud reports a contributor's usage ({ account, category, amount,
 * occurredAt }) with its service token and an Idempotency-Key; the answer says what the credits
 * covered and what GGML Cloud bills.
 */
export async function action({ request }: Route.ActionArgs) {
  if (request.method !== 'POST') return apiError(405, 'method_not_allowed', 'POST a usage report.')
  const token = cloudServiceToken()
  const given = /^Bearer (.+)$/.exec(request.headers.get('Authorization') ?? '')?.[1] ?? ''
  if (!token || !timingSafeEqual(digest(given), digest(token)))
    return apiError(401, 'unauthorized', 'Send GGML Cloud’s service token as Authorization: Bearer ….')
  const key = request.headers.get('Idempotency-Key')
  if (!key)
    return apiError(400, 'invalid_input', 'Send an Idempotency-Key header: a retry with the same key spends once.')
  return apiAttempt(async () => {
    const r = await recordUsage(await readJsonBody(request), key)
    return Response.json(r, { status: r.replayed ? 200 : 201 })
  })
}

export function loader() {
  return apiError(405, 'method_not_allowed', 'POST a usage report.')
}
