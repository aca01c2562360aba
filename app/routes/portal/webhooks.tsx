import { Link, useActionData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/webhooks'
import { Button, Card, EmptyState, Field, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { CopyableCode } from '#app/components/copyable.tsx'
import { fromAppError, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { listWebhooks } from '#services/webhooks/list-webhooks.ts'
import { registerWebhookEndpoint, webhookEndpointSchema } from '#services/webhooks/register-webhook-endpoint.ts'
import { resendWebhookDelivery } from '#services/webhooks/resend-webhook-delivery.ts'
import { webhookEventTypes } from '#services/webhooks/webhook-events.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Webhooks · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'api_tokens.view')
  return {
    orgSlug: scope.organization.slug,
    organization: scope.organization.name,
    eventTypes: webhookEventTypes,
    ...(await listWebhooks(scope)),
  }
}

const intents = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create'), url: z.string(), events: z.array(z.string()).default([]) }),
  z.object({ intent: z.literal('resend'), deliveryId: z.string().min(1) }),
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
    },
    intents,
  )
  if (!parsed.ok) return invalid(parsed.errors)
  try {
    if (parsed.data.intent === 'resend') {
      await resendWebhookDelivery(scope, parsed.data.deliveryId)
      return { done: 'Sent again: the new attempt appears below in a few seconds.' }
    }
    const input = parseValues({ url: parsed.data.url, events: parsed.data.events }, webhookEndpointSchema)
    if (!input.ok) return invalid(input.errors)
    const { secret } = await registerWebhookEndpoint(scope, input.data)
    return { secret }
  } catch (e) {
    return fromAppError(e)
  }
}

function Deliveries({ d }: { d: Route.ComponentProps['loaderData'] }) {
  if (d.deliveries.length === 0) return <EmptyState>No deliveries yet.</EmptyState>
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Event</th>
          <th scope="col">Endpoint</th>
          <th scope="col">Answer</th>
          <th scope="col">Request and response</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {d.deliveries.map((x) => (
          <tr key={x.id}>
            <td>
              {x.at.slice(0, 19).replace('T', ' ')} · attempt {x.attempt}
            </td>
            <td>
              <code>{x.type}</code> <span className="hint">{x.eventId}</span>
            </td>
            <td>{x.url}</td>
            <td>
              {x.succeeded ? 'delivered' : 'failed'} · {x.responseStatus ?? 'no answer'} · {x.durationMs} ms
            </td>
            <td>
              <details>
                <summary>Show</summary>
                <pre>{x.request}</pre>
                <pre>{x.response}</pre>
              </details>
            </td>
            <td>
              <PostForm>
                <input type="hidden" name="intent" value="resend" />
                <input type="hidden" name="deliveryId" value={x.id} />
                <Button type="submit" variant="secondary">
                  Resend
                </Button>
              </PostForm>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

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
            <Link to="/developers/api">API reference</Link>
          </>
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      {result && 'secret' in result && result.secret && (
        <div className="alert alert-info" role="status">
          <p>
            <strong>Copy this signing secret now; it is not shown again.</strong> Verify each delivery’s GGML-Signature
            header (t=…,v1=…): the HMAC-SHA256 of “t.body” with this secret.
          </p>
          <CopyableCode label="the signing secret" text={result.secret} />
        </div>
      )}
      <Card title="Endpoints">
        {d.endpoints.length === 0 ? (
          <EmptyState>No endpoints yet.</EmptyState>
        ) : (
          <ul>
            {d.endpoints.map((e) => (
              <li key={e.id}>
                <code>{e.url}</code>: {e.events.join(', ')}
                {e.disabled && ' (disabled)'}
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Deliveries">
        <Deliveries d={d} />
      </Card>
      <Card title="Add an endpoint">
        <PostForm noValidate>
          <input type="hidden" name="intent" value="create" />
          <FormError errors={errors} />
          <Field label="URL" name="url" hint="https://, on a public address." errors={errors} />
          <fieldset className="plain">
            <legend>Events</legend>
            {d.eventTypes.map((t) => (
              <label key={t} className="check">
                <input type="checkbox" name="events" value={t} /> {t}
              </label>
            ))}
          </fieldset>
          {errors?.fieldErrors?.events && <p className="field-error">{errors.fieldErrors.events.join(' ')}</p>}
          <Button type="submit">Add endpoint</Button>
        </PostForm>
      </Card>
    </>
  )
}
