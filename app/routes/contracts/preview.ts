import { z } from 'zod'
import type { Route } from './+types/preview'
import { requireStaff } from '#app/lib/session.server.ts'
import { canOnBehalf } from '#services/identity/actor.ts'
import { contractKinds } from '#services/contracts/draft-contract.ts'
import { previewTerms } from '#services/contracts/preview-terms.ts'

const input = z.object({ kind: z.enum(contractKinds), terms: z.string(), sample: z.string().default('{}') })

// The contract editor's live check (fetcher): validation, price-book exceptions, a sample quarter.
export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'contracts.view')
  if (!canOnBehalf(actor, 'contracts.draft'))
    return new Response('Your role does not draft contracts.', { status: 403 })
  const parsed = input.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success)
    return Response.json(
      { issues: [{ path: '', message: 'Malformed preview request.' }], exceptions: [], preview: null },
      { status: 400 },
    )
  const json = (s: string) => {
    try {
      return JSON.parse(s) as unknown
    } catch {
      return undefined
    }
  }
  return previewTerms(parsed.data.kind, json(parsed.data.terms), json(parsed.data.sample))
}

export function loader() {
  return new Response('POST the editor’s terms here.', { status: 405, headers: { Allow: 'POST' } })
}
