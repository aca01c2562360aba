import { redirect, useActionData, useSearchParams } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/contract'
import { ContractView, StatusBadge } from '#app/components/contract-view.tsx'
import { Button, Card, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseForm } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { getContractDetail } from '#services/contracts/contract-queries.ts'
import { syncAfterSigning } from '#app/lib/contracts.server.ts'
import { openSigningSession } from '#services/contracts/open-signing-session.ts'

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.contract.number ?? 'Contract'} · GGML Platform` },
]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'contracts.view')
  await syncAfterSigning(scope, params.contractId, request)
  const contract = await getContractDetail(scope, params.contractId).catch(() => {
    throw new Response('No such contract, or you do not have access to it.', { status: 404 })
  })
  const awaiting = contract.versions.find((v) => v.state === 'sent')
  const signers = awaiting?.envelopes.at(-1)?.recipients ?? []
  const iSigned = signers.some((r) => r.email === scope.actor.email && r.status === 'completed')
  return {
    orgSlug: scope.organization.slug,
    contract,
    signing:
      awaiting && awaiting.partnerSignerUserId === scope.actor.userId && !iSigned
        ? { versionId: awaiting.id, version: awaiting.version }
        : null,
    awaiting: awaiting
      ? {
          version: awaiting.version,
          signers: signers.map((r) => ({ name: r.name, status: r.status, signedAt: r.signedAt })),
        }
      : null,
  }
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'contracts.sign')
  const parsed = await parseForm(request, z.object({ versionId: z.string().min(1) }))
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    const url = await openSigningSession(
      scope,
      parsed.data.versionId,
      `/portal/${params.orgSlug}/contracts/${params.contractId}?signing=returned`,
    )
    return redirect(url)
  })
}

export default function PortalContract({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const [params] = useSearchParams()
  const c = d.contract
  return (
    <>
      <PageHeader
        title={c.title}
        subtitle={
          <>
            {c.number} · {c.kindLabel} · <StatusBadge status={c.status} />
          </>
        }
      />
      {params.get('signing') === 'returned' && (
        <Notice>
          {params.get('event') === 'decline'
            ? 'You declined to sign; ggml has been told your reason.'
            : d.awaiting
              ? 'Thank you: your signature is recorded. The contract becomes active once ggml has signed too.'
              : 'Thank you: everyone has signed, and DocuSign confirmed completion.'}
        </Notice>
      )}
      <FormError errors={errors} />
      {d.signing && (
        <Card title="Waiting for your signature">
          <p>
            Version {d.signing.version} of this agreement is ready for you to sign in DocuSign. Review the terms below
            first.
          </p>
          <PostForm>
            <input type="hidden" name="versionId" value={d.signing.versionId} />
            <Button type="submit">Review and sign</Button>
          </PostForm>
        </Card>
      )}
      {d.awaiting && !d.signing && (
        <Notice>
          Version {d.awaiting.version} is out for signature:{' '}
          {d.awaiting.signers.length
            ? d.awaiting.signers
                .map((s) =>
                  s.status !== 'completed'
                    ? `${s.name} has not signed yet`
                    : `${s.name} signed${s.signedAt ? ` on ${s.signedAt.slice(0, 10)}` : ''}`,
                )
                .join('; ')
            : 'waiting for the signers'}
          .
        </Notice>
      )}
      <ContractView contract={c} documentHref={(id) => `/portal/${d.orgSlug}/contracts/${c.id}/documents/${id}`} />
    </>
  )
}
