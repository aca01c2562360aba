import { useActionData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/api-tokens'
import { Button, Card, EmptyState, Field, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { fromAppError, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { apiScopes } from '#services/api-tokens/api-tokens.ts'
import { listApiTokens } from '#services/api-tokens/list-api-tokens.ts'
import { revokeApiToken } from '#services/api-tokens/revoke-api-token.ts'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { createTokenSchema } from '#services/api-tokens/create-api-token.ts'

export const meta: Route.MetaFunction = () => [{ title: 'API tokens · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'api_tokens.view')
  return { organization: scope.organization.name, tokens: await listApiTokens(scope), scopes: apiScopes }
}

const intents = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('create'), name: z.string(), scopes: z.array(z.string()).default([]) }),
  z.object({ intent: z.literal('revoke'), tokenId: z.string().min(1) }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'api_tokens.view')
  const form = await request.formData()
  const parsed = parseValues(
    {
      intent: form.get('intent'),
      name: form.get('name') ?? undefined,
      scopes: form.getAll('scopes'),
      tokenId: form.get('tokenId') ?? undefined,
    },
    intents,
  )
  if (!parsed.ok) return invalid(parsed.errors)
  try {
    if (parsed.data.intent === 'revoke') {
      await revokeApiToken(scope, parsed.data.tokenId)
      return { done: 'Token revoked: calls with it are refused from now on.' }
    }
    const input = parseValues({ name: parsed.data.name, scopes: parsed.data.scopes }, createTokenSchema)
    if (!input.ok) return invalid(input.errors)
    const { secret } = await createApiToken(scope, input.data)
    return { secret }
  } catch (e) {
    return fromAppError(e)
  }
}

export default function ApiTokens({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle={`${d.organization}: keys for submitting royalty reports from your systems`}
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      {result && 'secret' in result && (
        <div className="alert alert-info" role="status">
          <p>
            <strong>Copy this token now; it is not shown again.</strong>
          </p>
          <code className="secret">{result.secret}</code>
          <p className="hint">
            curl -X POST -H "Authorization: Bearer …" -H "Idempotency-Key: 2027-Q1-v1" -H "Content-Type: text/csv"
            --data-binary @report.csv "…/api/v1/reports?contractId=…&amp;period=2027-Q1"
          </p>
        </div>
      )}
      <Card title="Tokens">
        {d.tokens.length === 0 ? (
          <EmptyState>No tokens yet.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Permissions</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.tokens.map((t) => (
                <tr key={t.id}>
                  <td>{t.name}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>
                    {t.revokedAt
                      ? `revoked ${t.revokedAt.slice(0, 10)}`
                      : (t.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? 'never')}
                  </td>
                  <td>
                    {!t.revokedAt && (
                      <PostForm>
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="tokenId" value={t.id} />
                        <Button variant="danger" type="submit" aria-label={`Revoke ${t.name}`}>
                          Revoke
                        </Button>
                      </PostForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card title="Create a token">
        <PostForm noValidate>
          <input type="hidden" name="intent" value="create" />
          <FormError errors={errors} />
          <Field label="Name" name="name" hint="What uses it, like “ERP nightly export”." errors={errors} />
          <fieldset className="plain">
            <legend>Permissions</legend>
            {d.scopes.map((s) => (
              <label key={s} className="check">
                <input type="checkbox" name="scopes" value={s} defaultChecked /> {s}
              </label>
            ))}
          </fieldset>
          {errors?.fieldErrors?.scopes && <p className="field-error">{errors.fieldErrors.scopes.join(' ')}</p>}
          <Button type="submit">Create token</Button>
        </PostForm>
      </Card>
    </>
  )
}
