import { Link, redirect, useActionData, useSearchParams } from 'react-router'
import { z } from 'zod'
import { ReasonForm } from '#app/components/decision-form.tsx'
import type { Route } from './+types/contract'
import { ContractView, StatusBadge } from '#app/components/contract-view.tsx'
import { Button, Card, FormError, Notice, PageHeader, PostForm, SelectField } from '#app/components/ui.tsx'
import { requireContractAsStaff, syncAfterSigning } from '#app/lib/contracts.server.ts'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { approveContractVersion } from '#services/contracts/approve-contract.ts'
import { returnToDraft } from '#services/contracts/return-to-draft.ts'
import { submitForApproval } from '#services/contracts/submit-for-approval.ts'
import { getContractDetail } from '#services/contracts/contract-queries.ts'
import { contractScope } from '#services/contracts/contract-scope.ts'
import {
  eligibleSigners,
  ggmlSigners,
  sendForSignature,
  sendInputSchema,
} from '#services/contracts/send-for-signature.ts'
import { openSigningSession } from '#services/contracts/open-signing-session.ts'
import { requestTermination } from '#services/contracts/request-termination.ts'
import { decideTermination } from '#services/contracts/confirm-termination.ts'

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.contract.number ?? 'Contract'} · GGML Platform` },
]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireContractAsStaff(context, request, params.contractId, 'contracts.view')
  await syncAfterSigning(scope, params.contractId, request)
  const contract = await getContractDetail(scope, params.contractId)
  const a = scope.actor
  return {
    contract,
    me: a.userId,
    can: {
      manage: scope.granted.has('contracts.draft'),
      submit: scope.granted.has('contracts.submit'),
      approve: scope.granted.has('contracts.approve'),
      send: scope.granted.has('contracts.send'),
      sign: scope.granted.has('contracts.sign'),
      terminate: scope.granted.has('contracts.terminate'),
      confirmTermination: scope.granted.has('contracts.confirm_termination'),
    },
    partnerSigners: await eligibleSigners(scope.organization.id),
    ggmlSigners: await ggmlSigners(),
    partner: { name: scope.organization.name, slug: scope.organization.slug },
  }
}

const intents = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('submit'), versionId: z.string() }),
  z.object({ intent: z.literal('approve'), versionId: z.string(), note: z.string().optional() }),
  z.object({
    intent: z.literal('return'),
    versionId: z.string(),
    reason: z.string().trim().min(1, 'Give a reason the drafter can act on.'),
  }),
  sendInputSchema.extend({ intent: z.literal('send'), versionId: z.string() }),
  z.object({ intent: z.literal('sign'), versionId: z.string() }),
  z.object({
    intent: z.literal('terminate'),
    reason: z.string().trim().min(1, 'The reason is kept with the contract.').max(2000),
  }),
  z.object({ intent: z.literal('confirm-termination') }),
  z.object({
    intent: z.literal('decline-termination'),
    reason: z.string().trim().min(1, 'Say why: the person who asked reads it.').max(2000),
  }),
])

const permissionFor = {
  submit: 'contracts.submit',
  approve: 'contracts.approve',
  return: 'contracts.approve',
  send: 'contracts.send',
  sign: 'contracts.sign',
  terminate: 'contracts.terminate',
  'confirm-termination': 'contracts.confirm_termination',
  'decline-termination': 'contracts.confirm_termination',
} as const

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'contracts.view')
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  const input = parsed.data
  return attempt(async () => {
    const scope = await contractScope(actor, params.contractId, permissionFor[input.intent])
    switch (input.intent) {
      case 'submit': {
        const r = await submitForApproval(scope, input.versionId)
        return { done: r.needsFinance ? 'Sent to finance for approval.' : 'Within the standard price book: approved.' }
      }
      case 'approve':
        await approveContractVersion(scope, input.versionId, input.note || undefined)
        return { done: 'Approved. It can now be sent for signature.' }
      case 'return':
        await returnToDraft(scope, input.versionId, input.reason)
        return { done: 'Returned to draft with your reason.' }
      case 'send':
        await sendForSignature(scope, input.versionId, input)
        return { done: 'Sent through DocuSign: the partner signs first, then ggml.' }
      case 'sign':
        return redirect(
          await openSigningSession(scope, input.versionId, `/contracts/${params.contractId}?signing=returned`),
        )
      case 'terminate':
        await requestTermination(scope, params.contractId, input.reason)
        return { done: 'Termination requested: a second person must confirm it before the contract ends.' }
      case 'confirm-termination':
        await decideTermination(scope, params.contractId, { confirm: true })
        return { done: 'The contract is terminated.' }
      case 'decline-termination':
        await decideTermination(scope, params.contractId, { confirm: false, reason: input.reason })
        return { done: 'Termination declined; the contract stays in force.' }
    }
  })
}

type Data = Route.ComponentProps['loaderData']

/** A termination someone asked for: a second person (finance) confirms it, or declines it with a reason. */
function TerminationRequested({ d }: { d: Data }) {
  const c = d.contract
  if (!c.terminationRequest || c.status === 'terminated') return null
  return (
    <Card title="Termination requested">
      <p>
        Requested on {c.terminationRequest.at.slice(0, 10)}: {c.terminationRequest.reason}
      </p>
      {d.can.confirmTermination && c.terminationRequest.by !== d.me ? (
        <div className="actions-row">
          <PostForm>
            <input type="hidden" name="intent" value="confirm-termination" />
            <Button type="submit" variant="danger">
              Confirm termination
            </Button>
          </PostForm>
          <ReasonForm fields={{ intent: 'decline-termination' }} boxLabel="Reason to decline" label="Decline" />
        </div>
      ) : (
        <p className="hint">A second person (finance) confirms or declines it.</p>
      )}
    </Card>
  )
}

/** A signed agreement is amended (when no version is in progress) or ended on request. */
function ChangeOrEnd({ d, inProgress }: { d: Data; inProgress: boolean }) {
  const c = d.contract
  const signedAny = c.versions.some((v) => v.state === 'signed')
  if (!signedAny || !(d.can.manage || d.can.terminate) || ['terminated', 'expired'].includes(c.status)) return null
  return (
    <Card title="Change or end the agreement">
      <div className="actions-row">
        {d.can.manage && !inProgress && (
          <Link className="btn btn-secondary" to={`/contracts/${c.id}/amend`}>
            Draft an amendment
          </Link>
        )}
        {d.can.terminate && !c.terminationRequest && (
          <ReasonForm
            fields={{ intent: 'terminate' }}
            boxLabel="Reason for termination"
            variant="danger"
            label="Ask to terminate"
          />
        )}
      </div>
    </Card>
  )
}

export default function ContractStaff({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const [params] = useSearchParams()
  const c = d.contract
  const draft = c.versions.find((v) => v.state === 'draft')
  const pending = c.versions.find((v) => v.state === 'pending_approval')
  const approved = c.versions.find((v) => v.state === 'approved')
  const sent = c.versions.find((v) => v.state === 'sent')
  const signedAny = c.versions.some((v) => v.state === 'signed')
  const hidden = (v: { id: string }) => <input type="hidden" name="versionId" value={v.id} />
  const actions = (
    <>
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      {params.get('signing') === 'returned' && (
        <Notice>
          {params.get('event') === 'decline'
            ? 'You declined to sign.'
            : // Once every signature is in, the "in a moment" promise is stale (issue 29): say it is done.
              sent
              ? 'Your signature is recorded; DocuSign will confirm completion in a moment.'
              : signedAny
                ? 'Everyone has signed: DocuSign confirmed completion.'
                : 'Your signature is recorded.'}
        </Notice>
      )}
      <FormError errors={errors} />
      {draft && d.can.manage && (
        <Card title={`Version ${draft.version} is a draft`}>
          {draft.priceBookExceptions.length > 0 && (
            <div className="alert alert-info">
              <strong>Finance must approve:</strong>
              <ul>
                {draft.priceBookExceptions.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            </div>
          )}
          <div className="actions-row">
            <Link className="btn btn-secondary" to={`/contracts/${c.id}/edit`}>
              Edit terms
            </Link>
            <PostForm>
              {hidden(draft)}
              <input type="hidden" name="intent" value="submit" />
              <Button type="submit">Submit for approval</Button>
            </PostForm>
          </div>
        </Card>
      )}
      {pending && (
        <Card title={`Version ${pending.version} waits for finance`}>
          <ul>
            {pending.priceBookExceptions.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
          {d.can.approve ? (
            <div className="actions-row">
              <ReasonForm
                fields={{ versionId: pending.id, intent: 'approve' }}
                boxLabel="Note (optional)"
                name="note"
                required={false}
                variant="primary"
                label="Approve"
              />
              <ReasonForm
                fields={{ versionId: pending.id, intent: 'return' }}
                boxLabel="Reason"
                label="Return to draft"
              />
            </div>
          ) : (
            <p className="hint">Finance approves terms outside the standard price book.</p>
          )}
        </Card>
      )}
      {approved && d.can.send && d.partnerSigners.length === 0 && (
        <Card title={`Send version ${approved.version} for signature`}>
          <p role="alert">
            {d.partner.name} has no partner admin who could sign.{' '}
            <Link to={`/portal/${d.partner.slug}/team`}>Invite one</Link>, then send.
          </p>
        </Card>
      )}
      {approved && d.can.send && d.partnerSigners.length > 0 && (
        <Card title={`Send version ${approved.version} for signature`}>
          <PostForm>
            {hidden(approved)}
            <input type="hidden" name="intent" value="send" />
            <SelectField
              label={`Signs for ${d.partner.name}`}
              name="partnerSignerUserId"
              options={d.partnerSigners.map((s) => ({ value: s.id, label: `${s.name} <${s.email}>` }))}
              errors={errors}
            />
            <SelectField
              label="Signs for ggml"
              name="ggmlSignerUserId"
              options={d.ggmlSigners.map((s) => ({ value: s.id, label: `${s.name} <${s.email}>` }))}
              errors={errors}
            />
            <Button type="submit">Send through DocuSign</Button>
          </PostForm>
        </Card>
      )}
      {sent && (
        <Card title={`Version ${sent.version} is out for signature`}>
          <p>
            Envelope {sent.envelopes.at(-1)?.envelopeId}:{' '}
            <StatusBadge status={sent.envelopes.at(-1)?.status ?? 'sent'} />. The partner signs first, then ggml.
          </p>
          <ul>
            {(sent.envelopes.at(-1)?.recipients ?? []).map((r) => (
              <li key={r.email}>
                {r.name} &lt;{r.email}&gt;:{' '}
                {r.status === 'completed'
                  ? `signed ${r.signedAt?.slice(0, 16).replace('T', ' ') ?? ''}`
                  : 'not signed yet'}
              </li>
            ))}
          </ul>
          {d.can.sign && sent.ggmlSignerUserId === d.me && (
            <PostForm>
              {hidden(sent)}
              <input type="hidden" name="intent" value="sign" />
              <Button type="submit">Sign for ggml</Button>
            </PostForm>
          )}
        </Card>
      )}
      <TerminationRequested d={d} />
      <ChangeOrEnd d={d} inProgress={Boolean(draft || pending || approved || sent)} />
    </>
  )
  return (
    <>
      <PageHeader
        title={c.title}
        subtitle={
          <>
            {c.number} · {c.kindLabel} · {d.partner.name} · <StatusBadge status={c.status} />
          </>
        }
        actions={
          <Link className="btn btn-secondary" to={`/portal/${d.partner.slug}/contracts/${c.id}`}>
            Partner’s view
          </Link>
        }
      />
      <ContractView
        contract={c}
        documentHref={(id) => `/portal/${d.partner.slug}/contracts/${c.id}/documents/${id}`}
        actions={actions}
      />
    </>
  )
}
