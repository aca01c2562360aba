import { Link, useActionData } from 'react-router'
import { z } from 'zod'
import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/api-tokens'
import {
  Button,
  Card,
  Field,
  FieldMessage,
  Notice,
  PageHeader,
  PostForm,
  SelectField,
  useFieldError,
} from '#app/components/ui.tsx'
import { CopyableCode } from '#app/components/copyable.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { pageOrganization, requireTenant } from '#app/lib/tenant.server.ts'
import {
  DEFAULT_TOKEN_LIFETIME_DAYS,
  reportScopes,
  tokenLifetimesDays,
  tokenPresets,
} from '#services/api-tokens/api-tokens.ts'
import { listApiTokens } from '#services/api-tokens/list-api-tokens.ts'
import { revokeApiToken } from '#services/api-tokens/revoke-api-token.ts'
import { createApiToken } from '#services/api-tokens/create-api-token.ts'
import { createTokenSchema } from '#services/api-tokens/create-api-token.ts'
import { apiTokenExample } from '#services/api-tokens/token-example.ts'

export const meta: Route.MetaFunction = () => [{ title: 'API tokens · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'api_tokens.view')
  return {
    ...pageOrganization(scope),
    tokens: await listApiTokens(scope),
    // scim:provision is not offered here: the single sign-on page makes those tokens (issue 25).
    scopes: reportScopes,
    presets: tokenPresets,
    lifetimes: tokenLifetimesDays.map((d) => ({ value: String(d), label: `${d} days` })),
    defaultLifetime: String(DEFAULT_TOKEN_LIFETIME_DAYS),
  }
}

const intents = z.discriminatedUnion('intent', [
  z.object({
    intent: z.literal('create'),
    name: z.string(),
    preset: z.string().optional(),
    scopes: z.array(z.string()).default([]),
    expiresInDays: z.string().optional(),
  }),
  z.object({ intent: z.literal('revoke'), tokenId: z.string().min(1) }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'api_tokens.view')
  const form = await request.formData()
  const parsed = parseValues(
    {
      intent: form.get('intent'),
      name: form.get('name') ?? undefined,
      preset: form.get('preset') ?? undefined,
      scopes: form.getAll('scopes'),
      expiresInDays: form.get('expiresInDays') ?? undefined,
      tokenId: form.get('tokenId') ?? undefined,
    },
    intents,
  )
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    if (parsed.data.intent === 'revoke') {
      await revokeApiToken(scope, parsed.data.tokenId)
      return { done: 'Token revoked: calls with it are refused from now on.' }
    }
    // A preset is an explicit choice; without one, the permissions ticked (none are by default).
    const { name, preset, expiresInDays } = parsed.data
    const scopes = tokenPresets.find((p) => p.id === preset)?.scopes ?? parsed.data.scopes
    const input = parseValues({ name, scopes, expiresInDays }, createTokenSchema)
    if (!input.ok) return invalid(input.errors)
    const { secret, expiresAt } = await createApiToken(scope, input.data)
    return {
      secret,
      expiresOn: expiresAt.toISOString().slice(0, 10),
      example: await apiTokenExample(scope, { secret, scopes: input.data.scopes }),
    }
  })
}

export default function ApiTokens({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const scopesField = useFieldError('scopes', errors)
  const tokenColumns: Columns<(typeof d.tokens)[number]> = [
    { header: 'Name', cell: (t) => t.name },
    { header: 'Token', cell: (t) => <code>{t.prefix}…</code> },
    {
      header: 'Permissions',
      cell: (t) =>
        withHint(
          t.scopes.join(', '),
          t.scopes.includes('scim:provision') && (
            <>
              made on the <Link to={`/portal/${d.orgSlug}/sso`}>single sign-on page</Link>
            </>
          ),
        ),
    },
    {
      header: 'Last used',
      cell: (t) =>
        t.revokedAt ? `revoked ${t.revokedAt.slice(0, 10)}` : (t.lastUsedAt?.slice(0, 16).replace('T', ' ') ?? 'never'),
    },
    { header: 'Expires', cell: (t) => `${t.expired ? 'expired' : 'expires'} ${t.expiresAt.slice(0, 10)}` },
    {
      header: 'Actions',
      hideHeader: true,
      cell: (t) =>
        !t.revokedAt && (
          <RowAction
            fields={{ intent: 'revoke', tokenId: t.id }}
            variant="danger"
            ariaLabel={`Revoke ${t.name}`}
            label="Revoke"
          />
        ),
    },
  ]
  return (
    <>
      <PageHeader
        title="API tokens"
        subtitle={
          <>
            {d.organization}: keys for filing royalty reports and reading invoices, statements and badges from your
            systems · <Link to="/developers/api">API reference</Link> ·{' '}
            <Link to={`/portal/${d.orgSlug}/webhooks`}>Webhooks</Link>
          </>
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      {result && 'secret' in result && result.secret && (
        <div className="alert alert-info" role="status">
          <p>
            <strong>Copy this token now; it is not shown again.</strong> {`It expires on ${result.expiresOn}.`}
          </p>
          <CopyableCode label="the token" text={result.secret} />
          {result.example && (
            <>
              <p>Try it:</p>
              <CopyableCode label="the example" text={result.example.curl} block />
              {result.example.missing && <p className="hint">{result.example.missing}</p>}
            </>
          )}
        </div>
      )}
      <Card title="Tokens">
        <DataTable rows={d.tokens} empty="No tokens yet." columns={tokenColumns} />
      </Card>
      <Card title="Create a token">
        <PostForm errors={errors}>
          <input type="hidden" name="intent" value="create" />
          <Field label="Name" name="name" hint="What uses it, like “ERP nightly export”." errors={errors} />
          <fieldset className="plain">
            <legend>What it may do</legend>
            {d.presets.map((p) => (
              <label key={p.id} className="check">
                <input type="radio" name="preset" value={p.id} /> {p.label} ({p.scopes.join(', ')})
              </label>
            ))}
            <label className="check">
              <input type="radio" name="preset" value="custom" /> Only the permissions ticked here:
            </label>
            {d.scopes.map((s, i) => (
              <label key={s} className="check">
                {/* A message about the choice marks the first box, where the error summary links. */}
                <input type="checkbox" value={s} {...(i === 0 ? scopesField.inputProps : { name: 'scopes' })} /> {s}
              </label>
            ))}
            <p className="hint">
              Provisioning (SCIM) tokens are made on the{' '}
              <Link to={`/portal/${d.orgSlug}/sso`}>single sign-on page</Link>.
            </p>
          </fieldset>
          <FieldMessage field={scopesField} />
          <SelectField
            label="Expires after"
            name="expiresInDays"
            options={d.lifetimes}
            defaultValue={d.defaultLifetime}
            errors={errors}
          />
          <Button type="submit">Create token</Button>
        </PostForm>
      </Card>
    </>
  )
}
