import { redirect, useActionData, useNavigation } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/edit'
import { TermsEditor } from '#app/components/terms-editor.tsx'
import { Button, FormError, PageHeader, PostForm } from '#app/components/ui.tsx'
import { requireContractAsStaff } from '#app/lib/contracts.server.ts'
import { fromAppError, invalid, parseForm } from '#app/lib/forms.server.ts'
import { getContractDetail } from '#services/contracts/contract-queries.ts'
import { amendContract } from '#services/contracts/amend-contract.ts'
import { updateDraftVersion } from '#services/contracts/update-draft-version.ts'
import { issuesFrom } from './new.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Edit terms · GGML Platform' }]

// One editor for both: /contracts/:id/edit changes the draft version, /contracts/:id/amend drafts a new one.
const isAmend = (request: Request) => new URL(request.url).pathname.endsWith('/amend')

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireContractAsStaff(context, request, params.contractId, 'contracts.draft')
  const c = await getContractDetail(scope, params.contractId)
  const amend = isAmend(request)
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

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireContractAsStaff(context, request, params.contractId, 'contracts.draft')
  const parsed = await parseForm(request, schema)
  if (!parsed.ok) return invalid(parsed.errors)
  try {
    const terms = JSON.parse(parsed.data.terms)
    if (isAmend(request))
      await amendContract(scope, params.contractId, { effectiveFrom: parsed.data.effectiveFrom ?? '', terms })
    else
      await updateDraftVersion(scope, parsed.data.versionId ?? '', { terms, effectiveFrom: parsed.data.effectiveFrom })
    return redirect(`/contracts/${params.contractId}`)
  } catch (e) {
    return fromAppError(e)
  }
}

export default function EditContract({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const busy = useNavigation().state === 'submitting'
  return (
    <>
      <PageHeader
        title={d.amend ? `Amend ${d.contract.number}` : `Edit ${d.contract.number} v${d.version.version}`}
        subtitle={d.contract.title}
      />
      <PostForm noValidate>
        <FormError errors={errors} />
        {!d.amend && <input type="hidden" name="versionId" value={d.version.id} />}
        {(d.amend || d.version.version > 1) && (
          <div className="card">
            <label>
              Takes effect on
              <input type="date" name="effectiveFrom" defaultValue={d.amend ? '' : d.version.effectiveFrom} required />
            </label>
            {errors?.fieldErrors?.effectiveFrom && (
              <p className="field-error">{errors.fieldErrors.effectiveFrom.join(' ')}</p>
            )}
            <p className="hint">Periods before this date keep the signed terms; periods after it use these.</p>
          </div>
        )}
        <TermsEditor kind={d.contract.kind} initial={d.version.terms} serverIssues={issuesFrom(errors?.fieldErrors)} />
        <Button type="submit" disabled={busy}>
          {d.amend ? 'Save amendment as draft' : 'Save draft'}
        </Button>
      </PostForm>
    </>
  )
}
