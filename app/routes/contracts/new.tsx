import { redirect, useActionData, useNavigation } from 'react-router'
import { useState } from 'react'
import { z } from 'zod'
import type { Route } from './+types/new'
import { issuesFrom } from '#app/lib/terms-issues.ts'
import { TermsEditor } from '#app/components/terms-editor.tsx'
import { Button, Input, PageHeader, PostForm, Select } from '#app/components/ui.tsx'
import { parseTermsJson } from '#app/lib/contract-editor.server.ts'
import { attempt, invalid, parseForm } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { canIn, canOnBehalf } from '#services/identity/actor.ts'
import { addMonths } from '#services/kernel/calendar/months.ts'
import { contractKinds, draftContract } from '#services/contracts/draft-contract.ts'
import { hybridTerms } from '#services/rating/sample-terms.ts'
import { listOrganizations } from '#services/organizations/list-organizations.ts'
import { tenantScope } from '#services/tenancy/tenant-guard.ts'
import { now } from '#services/platform/clock.ts'

export const meta: Route.MetaFunction = () => [{ title: 'New contract · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  // Drafting happens inside the partner's organization: offered where the role may do it there.
  const actor = requireStaff(context, request, 'contracts.view')
  if (!canOnBehalf(actor, 'contracts.draft')) throw new Response('Your role does not draft contracts.', { status: 403 })
  const partners = (await listOrganizations(actor))
    .filter((o) => o.kind === 'oem_partner' && canIn(actor, o.id, 'contracts.draft'))
    .map((o) => ({ id: o.id, name: o.name }))
  const preselect = new URL(request.url).searchParams.get('partner')
  const start = quarterStart()
  const end = new Date(Date.parse(`${addMonths(start, 36)}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
  return {
    partners,
    preselect,
    initialTerms: hybridTerms({
      term: { start, end, renewal: { kind: 'automatic', periodMonths: 12, noticeDays: 90 } },
    }),
  }
}

/** Contracts usually start with the current quarter, so reports line up with quarters. */
function quarterStart() {
  const at = now()
  return `${at.getUTCFullYear()}-${String(Math.floor(at.getUTCMonth() / 3) * 3 + 1).padStart(2, '0')}-01`
}

const schema = z.object({
  organizationId: z
    .string({ error: 'Choose the partner this contract is with.' })
    .min(1, 'Choose the partner this contract is with.'),
  title: z.string({ error: 'Give the contract a title.' }).trim().min(1, 'Give the contract a title.'),
  kind: z.enum(contractKinds, { error: 'Choose the kind of agreement.' }),
  terms: z.string(),
})

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'contracts.view')
  const parsed = await parseForm(request, schema)
  if (!parsed.ok) return invalid(parsed.errors)
  const json = parseTermsJson(parsed.data.terms)
  if (!json.ok) return invalid(json.errors)
  return attempt(async () => {
    const scope = await tenantScope(actor, { id: parsed.data.organizationId }, 'contracts.draft')
    const { contract } = await draftContract(scope, {
      title: parsed.data.title,
      kind: parsed.data.kind,
      terms: json.terms,
    })
    return redirect(`/contracts/${contract.id}`)
  })
}

export default function NewContract({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const [kind, setKind] = useState<'mou' | 'paid_pilot' | 'production_license'>('production_license')
  const busy = useNavigation().state === 'submitting'
  const initial =
    kind === 'production_license'
      ? d.initialTerms
      : {
          ...d.initialTerms,
          perDeviceRoyalty: undefined,
          baseFee: undefined,
          minimumGuarantee: undefined,
          ...(kind === 'paid_pilot' ? { pilotFee: { amount: '75000.00' } } : {}),
        }
  return (
    <>
      <PageHeader
        title="New contract"
        subtitle="Draft the terms; standard terms are approved by the price book, others go to finance."
      />
      <PostForm errors={errors}>
        <div className="card">
          <div className="row">
            <label>
              Partner
              <Select name="organizationId" defaultValue={d.preselect ?? ''} required>
                <option value="" disabled>
                  Choose a partner
                </option>
                {d.partners.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </Select>
            </label>
            <label>
              Agreement
              <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
                <option value="mou">MoU (non-binding)</option>
                <option value="paid_pilot">Paid pilot</option>
                <option value="production_license">Production license</option>
              </select>
            </label>
          </div>
          <label>
            Title
            <Input name="title" defaultValue="GGML runtime production license" required />
          </label>
        </div>
        <TermsEditor
          key={kind}
          kind={kind}
          initial={initial}
          serverIssues={issuesFrom(errors?.fieldErrors)}
          saveFailed={Boolean(errors)}
        />
        <Button type="submit" disabled={busy}>
          {busy ? 'Saving…' : 'Save draft'}
        </Button>
      </PostForm>
    </>
  )
}
