import { redirect } from 'react-router'
import { z } from 'zod'
import type { Route } from '../routes/contracts/+types/edit.ts'
import { requireContractAsStaff } from './contracts.server.ts'
import { attempt, invalid, parseForm, type FormErrors } from './forms.server.ts'
import { getContractDetail } from '#services/contracts/contract-queries.ts'
import { amendContract } from '#services/contracts/amend-contract.ts'
import { updateDraftVersion } from '#services/contracts/update-draft-version.ts'

// One editor for both: /contracts/:id/edit changes the draft version, /contracts/:id/amend drafts a new
// one. The mode is the route module's, never read from the URL (a data request's path differs).
type Args = Pick<Route.LoaderArgs, 'context' | 'request' | 'params'>

export async function loadEditor({ context, request, params }: Args, amend: boolean) {
  const scope = await requireContractAsStaff(context, request, params.contractId, 'contracts.draft')
  const c = await getContractDetail(scope, params.contractId)
  const base = amend
    ? [...c.versions].reverse().find((v) => v.state === 'signed')
    : c.versions.find((v) => v.state === 'draft')
  if (!base)
    throw new Response(amend ? 'Only a signed contract can be amended.' : 'There is no draft to edit.', { status: 409 })
  return {
    amend,
    contract: { id: c.id, number: c.number, title: c.title, kind: c.kind },
    version: { id: base.id, version: base.version, effectiveFrom: base.effectiveFrom, terms: base.terms },
  }
}

const schema = z.object({ terms: z.string(), effectiveFrom: z.string().optional(), versionId: z.string().optional() })

/** The editor's terms as sent: text that is not JSON is the person's to fix, never a 500. */
export function parseTermsJson(text: string): { ok: true; terms: unknown } | { ok: false; errors: FormErrors } {
  try {
    return { ok: true, terms: JSON.parse(text) as unknown }
  } catch (e) {
    const message = `The terms are not valid JSON (${(e as Error).message}).`
    return { ok: false, errors: { formError: message, fieldErrors: { terms: [message] } } }
  }
}

export async function saveEditor({ context, request, params }: Args, amend: boolean) {
  const scope = await requireContractAsStaff(context, request, params.contractId, 'contracts.draft')
  const parsed = await parseForm(request, schema)
  if (!parsed.ok) return invalid(parsed.errors)
  const json = parseTermsJson(parsed.data.terms)
  if (!json.ok) return invalid(json.errors)
  const terms = json.terms
  return attempt(async () => {
    if (amend) await amendContract(scope, params.contractId, { effectiveFrom: parsed.data.effectiveFrom ?? '', terms })
    else
      await updateDraftVersion(scope, parsed.data.versionId ?? '', { terms, effectiveFrom: parsed.data.effectiveFrom })
    return redirect(`/contracts/${params.contractId}`)
  })
}
