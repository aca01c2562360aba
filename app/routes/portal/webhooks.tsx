import { Link, useActionData } from 'react-router'
import { z } from 'zod'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/webhooks'
import {
  Button,
  Card,
  Field,
  FieldMessage,
  Notice,
  PageHeader,
  PostForm,
  useFieldError,
  type FormErrors,
} from '#app/components/ui.tsx'
import { CopyableCode } from '#app/components/copyable.tsx'
import { attempt, formKeyOf, invalid, parseValues } from '#app/lib/forms.server.ts'
import { pageOrganization, requireTenant } from '#app/lib/tenant.server.ts'
import { listWebhooks } from '#services/webhooks/list-webhooks.ts'
import { registerWebhookEndpoint } from '#services/webhooks/register-webhook-endpoint.ts'
import { resendWebhookDelivery } from '#services/webhooks/resend-webhook-delivery.ts'
import { enableWebhookEndpoint } from '#services/webhooks/enable-webhook-endpoint.ts'
import { turnOffWebhookEndpoint } from '#services/webhooks/turn-off-webhook-endpoint.ts'
import { rotateWebhookSecret } from '#services/webhooks/rotate-webhook-secret.ts'
import { webhookEventTypes } from '#services/webhooks/webhook-events.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Webhooks · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'api_tokens.view')
  return {
    ...pageOrganization(scope),
    eventTypes: webhookEventTypes,
    ...(await listWebhooks(scope)),
  }
}

const intents = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('create'),
    url: z.string(),
    events: z.array(z.enum(webhookEventTypes, 'Choose events from the list.')).default([]),
  }),
  z.object({ intent: z.literal('resend'), deliveryId: z.string().min(1) }),
  z.object({ intent: z.literal('rotate'), endpointId: z.string().min(1) }),
  z.object({ intent: z.literal('enable'), endpointId: z.string().min(1) }),
  z.object({ intent: z.literal('disable'), endpointId: z.string().min(1) }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'api_tokens.view')
  const form = await request.formData()
  const parsed = parseValues(
    {
      intent: form.get('intent'),
      url: form.get('url') ?? undefined,
      events: form.getAll('events'),
      deliveryId: form.get('deliveryId') ?? undefined,
      endpointId: form.get('endpointId') ?? undefined,
      _form: form.get('_form') ?? undefined,
    },
    intents,
  )
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(
    async () => {
      if (parsed.data.intent === 'resend') {
        await resendWebhookDelivery(scope, parsed.data.deliveryId)
        return { done: 'Sent again: the new attempt appears below in a few seconds.' }
      }
      if (parsed.data.intent === 'enable') {
        await enableWebhookEndpoint(scope, parsed.data)
        return { done: 'Enabled: events from now on are sent to it. Resend any delivery it missed from the list.' }
      }
      if (parsed.data.intent === 'disable') {
        await turnOffWebhookEndpoint(scope, parsed.data)
        return { done: 'Turned off: no events are sent to it. Its deliveries stay listed; you can turn it on again.' }
      }
      if (parsed.data.intent === 'rotate') {
        const { secret, overlapEndsAt } = await rotateWebhookSecret(scope, parsed.data)
        return { secret, overlapEndsAt }
      }
      const { secret } = await registerWebhookEndpoint(scope, { url: parsed.data.url, events: parsed.data.events })
      return { secret }
    },
    { form: formKeyOf(form) },
  )
}

const requestText = (x: { signature: string; eventId: string; type: string; request: string }) =>
  [`GGML-Signature: ${x.signature}`, `GGML-Event-Id: ${x.eventId}`, `GGML-Event-Type: ${x.type}`, '', x.request].join(
    '\n',
  )

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`

function Endpoints({ d, errors }: { d: Route.ComponentProps['loaderData']; errors?: FormErrors }) {
  return <DataTable rows={d.endpoints} empty="No endpoints yet." columns={endpointColumns(errors)} />
}

function Deliveries({ d, errors }: { d: Route.ComponentProps['loaderData']; errors?: FormErrors }) {
  return <DataTable rows={d.deliveries} empty="No deliveries yet." columns={deliveryColumns(errors)} />
}

/** What was sent and what came back, folded away until asked for. */
function DeliveryExchange({ delivery: x }: { delivery: Route.ComponentProps['loaderData']['deliveries'][number] }) {
  return (
    <details>
      <summary>Show</summary>
      <p>Request: POST {x.url}</p>
      <pre>{requestText(x)}</pre>
      <p>
        Response: {x.responseStatus ?? 'none'}
        {x.error && `, ${x.error}`} after {x.durationMs} ms
      </p>
      {x.response && <pre>{x.response}</pre>}
    </details>
  )
}

// Each row's buttons are keyed forms, so a refusal shows beside the button that was pressed.
const endpointColumns = (errors?: FormErrors): Columns<Route.ComponentProps['loaderData']['endpoints'][number]> => [
  { header: 'URL', cell: (e) => <code>{e.url}</code> },
  { header: 'Events', cell: (e) => e.events.join(', ') },
  {
    header: 'Status',
    cell: (e) => (
      <>
        {e.disabledAt ? (
          <>
            <strong>Disabled</strong> on {when(e.disabledAt)}: {e.disabledReason}
          </>
        ) : (
          'Enabled'
        )}
        {e.overlapEndsAt && (
          <p className="hint">Signed with the new and the previous secret until {when(e.overlapEndsAt)}.</p>
        )}
      </>
    ),
  },
  {
    header: 'Actions',
    hideHeader: true,
    cell: (e) => (
      <>
        {e.disabled ? (
          <RowAction
            fields={{ intent: 'enable', endpointId: e.id }}
            variant="primary"
            label="Re-enable"
            errors={errors}
            formKey={`enable-${e.id}`}
          />
        ) : (
          <RowAction
            fields={{ intent: 'disable', endpointId: e.id }}
            label="Turn off"
            errors={errors}
            formKey={`disable-${e.id}`}
          />
        )}
        <RowAction
          fields={{ intent: 'rotate', endpointId: e.id }}
          label="Rotate secret"
          errors={errors}
          formKey={`rotate-${e.id}`}
        />
      </>
    ),
  },
]

const deliveryColumns = (errors?: FormErrors): Columns<Route.ComponentProps['loaderData']['deliveries'][number]> => [
  { header: 'When', cell: (x) => `${when(x.at)} · attempt ${x.attempt}` },
  {
    header: 'Event',
    cell: (x) => (
      <>
        <code>{x.type}</code> <span className="hint">{x.eventId}</span>
      </>
    ),
  },
  { header: 'Endpoint', cell: (x) => x.url },
  {
    header: 'Answer',
    cell: (x) => (
      <>
        {x.succeeded ? 'delivered' : 'failed'} · {x.responseStatus ?? 'no answer'} · {x.durationMs} ms
        {x.nextAttemptAt && <span className="hint"> · retried at {when(x.nextAttemptAt)}</span>}
      </>
    ),
  },
  { header: 'Request and response', cell: (x) => <DeliveryExchange delivery={x} /> },
  {
    header: 'Actions',
    hideHeader: true,
    cell: (x) => (
      <RowAction
        fields={{ intent: 'resend', deliveryId: x.id }}
        label="Resend"
        errors={errors}
        formKey={`resend-${x.id}`}
      />
    ),
  },
]

export default function Webhooks({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Webhooks"
        subtitle={
          <>
            {d.organization}: your systems are told when something happens ·{' '}
            <Link to="/developers/api#webhooks">Events and verifying their signatures</Link>
          </>
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      {result && 'secret' in result && result.secret && (
        <div className="alert alert-info" role="status">
          <p>
            <strong>Copy this signing secret now; it is not shown again.</strong> Verify each delivery’s GGML-Signature
            header (t=…,v1=…): the HMAC-SHA256 of “t.body” with this secret.
            {'overlapEndsAt' in result &&
              result.overlapEndsAt &&
              ` Until ${when(result.overlapEndsAt)} each delivery also carries a v1 signature made with the ` +
                'previous secret, so switch your receiver to this one before then.'}
          </p>
          <CopyableCode label="the signing secret" text={result.secret} />
        </div>
      )}
      <Card title="Endpoints">
        <Endpoints d={d} errors={errors} />
      </Card>
      <Card title="Deliveries">
        <Deliveries d={d} errors={errors} />
      </Card>
      <Card title="Add an endpoint">
        <PostForm errors={errors} formKey="create">
          <input type="hidden" name="intent" value="create" />
          <Field label="URL" name="url" hint="https://, on a public address." />
          <EventChoices eventTypes={d.eventTypes} />
          <Button type="submit">Add endpoint</Button>
        </PostForm>
      </Card>
    </>
  )
}

/** The event checkboxes: a message about the choice marks the first box, where the summary links. */
function EventChoices({ eventTypes }: { eventTypes: readonly string[] }) {
  const f = useFieldError('events')
  return (
    <fieldset className="plain">
      <legend>Events</legend>
      {eventTypes.map((t, i) => (
        <label key={t} className="check">
          <input type="checkbox" value={t} {...(i === 0 ? f.inputProps : { name: 'events' })} /> {t}
        </label>
      ))}
      <FieldMessage field={f} />
    </fieldset>
  )
}
