import { data, Link, useActionData } from 'react-router'
import { type Columns, DataTable, withHint } from '#app/components/data-table.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/sso'
import { Button, Card, Field, FormError, Notice, PageHeader, PostForm, SelectField } from '#app/components/ui.tsx'
import { CopyableCode } from '#app/components/copyable.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { pageOrganization, requireTenant } from '#app/lib/tenant.server.ts'
import { listSamlConnections } from '#services/sso/list-saml-connections.ts'
import { SSO_ROLES } from '#services/sso/map-groups.ts'
import { samlConnectionSchema, saveSamlConnection } from '#services/sso/save-saml-connection.ts'
import { setTwoFactorRequirement } from '#services/sso/set-two-factor-requirement.ts'
import { claimDomain, domainSchema, setDomainSso, verifyDomain } from '#services/sso/organization-domains.ts'
import { DEFAULT_TOKEN_LIFETIME_DAYS, tokenLifetimesDays } from '#services/api-tokens/api-tokens.ts'
import { createScimToken, createScimTokenSchema } from '#services/api-tokens/create-scim-token.ts'
import { appUrl } from '#services/platform/config/env.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Single sign-on · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'sso.configure')
  return {
    ...pageOrganization(scope),
    roles: [...SSO_ROLES],
    scimBaseUrl: `${appUrl()}/scim/v2`,
    lifetimes: tokenLifetimesDays.map((d) => ({ value: String(d), label: `${d} days` })),
    defaultLifetime: String(DEFAULT_TOKEN_LIFETIME_DAYS),
    ...(await listSamlConnections(scope)),
  }
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'sso.configure')
  const values = Object.fromEntries(await request.formData())
  if (values.twoFactor === 'require' || values.twoFactor === 'optional') {
    await setTwoFactorRequirement(scope, values.twoFactor === 'require')
    return {
      done: values.twoFactor === 'require' ? 'Members now sign in with a second factor.' : 'Two-factor is optional.',
    }
  }
  if (values.intent === 'create-scim-token') {
    const parsed = parseValues(values, createScimTokenSchema)
    // Its own key: the connection forms on this page have a "name" field too.
    if (!parsed.ok) return data({ scimErrors: parsed.errors }, { status: 422 })
    return attempt(async () => {
      const { secret, expiresAt } = await createScimToken(scope, parsed.data)
      return { scimSecret: secret, expiresOn: expiresAt.toISOString().slice(0, 10) }
    })
  }
  if (typeof values.domainAction === 'string') {
    const parsed = parseValues(values, domainSchema)
    if (!parsed.ok) return invalid(parsed.errors)
    return attempt(async () => {
      if (values.domainAction === 'claim') {
        const r = await claimDomain(scope, parsed.data)
        return { done: `Add this TXT record to ${r.domain}, then verify: ${r.record}` }
      }
      if (values.domainAction === 'verify') {
        await verifyDomain(scope, parsed.data)
        return { done: `${parsed.data.domain} is verified.` }
      }
      const requireSso = values.domainAction === 'require'
      await setDomainSso(scope, { ...parsed.data, requireSso })
      return { done: requireSso ? `${parsed.data.domain} now signs in with SSO only.` : 'Passwords work again.' }
    })
  }
  // Unchecked boxes send nothing: absent means off.
  const parsed = parseValues(
    { ...values, allowIdpInitiated: values.allowIdpInitiated === 'on', enabled: values.enabled === 'on' },
    samlConnectionSchema,
  )
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    await saveSamlConnection(scope, parsed.data)
    return { done: `Saved “${parsed.data.name}”.` }
  })
}

function ConnectionForm(props: {
  roles: string[]
  errors?: Parameters<typeof FormError>[0]['errors']
  c?: {
    id: string
    name: string
    defaultRole: string
    groupRoles: string
    allowIdpInitiated: boolean
    enabled: boolean
  }
}) {
  const c = props.c
  return (
    <PostForm noValidate>
      {c && <input type="hidden" name="connectionId" value={c.id} />}
      <Field label="Name" name="name" defaultValue={c?.name ?? 'Okta'} errors={props.errors} />
      <label>
        IdP metadata XML{c ? ' (paste new metadata to replace the IdP’s URL and certificates)' : ''}
        <textarea
          name="metadata"
          rows={c ? 2 : 6}
          aria-invalid={props.errors?.fieldErrors?.metadata ? true : undefined}
        />
      </label>
      {props.errors?.fieldErrors?.metadata && (
        <p className="field-error">{props.errors.fieldErrors.metadata.join(' ')}</p>
      )}
      <label>
        More signing certificates to trust (PEM), for a rollover
        <textarea name="extraCertificates" rows={2} />
      </label>
      <label>
        Role when no group maps
        <select name="defaultRole" defaultValue={c?.defaultRole ?? 'partner_engineer'}>
          {props.roles.map((r) => (
            <option key={r} value={r}>
              {r.replaceAll('_', ' ')}
            </option>
          ))}
        </select>
      </label>
      <label>
        IdP groups to roles, one per line (“Finance = partner_finance”)
        <textarea name="groupRoles" rows={3} defaultValue={c?.groupRoles ?? ''} />
      </label>
      {props.errors?.fieldErrors?.groupRoles && (
        <p className="field-error">{props.errors.fieldErrors.groupRoles.join(' ')}</p>
      )}
      <label>
        <input type="checkbox" name="allowIdpInitiated" defaultChecked={c?.allowIdpInitiated ?? false} /> Allow
        IdP-initiated sign-in (from the IdP’s app dashboard; off is safer)
      </label>
      <label>
        <input type="checkbox" name="enabled" defaultChecked={c?.enabled ?? true} /> Enabled
      </label>
      <Button>{c ? 'Save connection' : 'Add connection'}</Button>
    </PostForm>
  )
}

const recentColumns: Columns<Route.ComponentProps['loaderData']['recent'][number]> = [
  { header: 'When', cell: (r) => r.at },
  { header: 'Who', cell: (r) => r.who },
  { header: 'Outcome', cell: (r) => r.outcome },
]

const domainColumns: Columns<Route.ComponentProps['loaderData']['domains'][number]> = [
  { header: 'Domain', cell: (x) => x.domain },
  {
    header: 'Status',
    cell: (x) =>
      withHint(
        x.verified ? (x.requireSso ? 'verified · SSO required' : 'verified') : 'not verified',
        !x.verified && (
          <>
            TXT record: <code>{x.record}</code>
          </>
        ),
      ),
  },
  {
    header: 'Action',
    cell: (x) => (
      <RowAction
        fields={{
          domain: x.domain,
          domainAction: !x.verified ? 'verify' : x.requireSso ? 'allow' : 'require',
        }}
        label={!x.verified ? 'Verify' : x.requireSso ? 'Allow passwords' : 'Require SSO'}
      />
    ),
  },
]

export default function Sso({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const scimErrors = result && 'scimErrors' in result ? result.scimErrors : undefined
  return (
    <>
      <PageHeader
        title="Single sign-on"
        subtitle={`${d.organization}: people sign in through your identity provider (SAML 2.0).`}
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={errors} />
      <div className="alert alert-info" role="note">
        <p>
          <strong>Single sign-on and provisioning work only for addresses of your verified domains.</strong> Set up in
          this order: 1. claim and verify your email domain (below); 2. add the SAML connection; 3. sign in once through
          it; 4. make the provisioning (SCIM) token; 5. only then require single sign-on for the domain.
        </p>
        <p className="hint">
          Someone who also belongs to another organization keeps their own sign-in: your identity provider cannot sign
          them in or change their email, and requiring single sign-on does not lock them out.
        </p>
      </div>
      {d.connections.map((c) => (
        <Card key={c.id} title={`${c.name}${c.enabled ? '' : ' (disabled)'}`}>
          <p className="hint">Give your identity provider these (or the metadata URL):</p>
          <dl>
            <dt>SP entity ID (audience)</dt>
            <dd>
              <code>{c.sp.entityId}</code>
            </dd>
            <dt>ACS URL (single sign-on URL, recipient, destination)</dt>
            <dd>
              <code>{c.sp.acsUrl}</code>
            </dd>
            <dt>SP metadata</dt>
            <dd>
              <a href={c.sp.metadataUrl}>{c.sp.metadataUrl}</a>
            </dd>
            <dt>Identity provider</dt>
            <dd>
              {c.idpEntityId} · signs in at {c.idpSsoUrl}
            </dd>
          </dl>
          <DataTable
            rows={c.certificates}
            rowKey={(x) => x.sha256}
            columns={[
              { header: 'Signing certificate', cell: (x) => withHint(x.subject, `SHA-256 ${x.sha256}`) },
              { header: 'Expires', cell: (x) => x.notAfter },
              { header: '', cell: (x) => x.warning && <strong role="alert">{x.warning}</strong> },
            ]}
          />
          <ConnectionForm c={c} roles={d.roles} errors={errors} />
        </Card>
      ))}
      <Card title="Two-factor sign-in for password accounts">
        <PostForm className="row">
          <p>
            {d.requireTwoFactor
              ? 'Required: members who sign in with a password also type a code from an authenticator app.'
              : 'Optional: each member decides on their account page.'}
          </p>
          <input type="hidden" name="twoFactor" value={d.requireTwoFactor ? 'optional' : 'require'} />
          <Button variant="secondary">{d.requireTwoFactor ? 'Make it optional' : 'Require it'}</Button>
        </PostForm>
      </Card>
      <Card title="Email domains">
        <p className="hint">
          Prove your organization owns an email domain with a DNS TXT record on the domain itself; a verified domain can
          require single sign-on, and then the people your organization alone holds cannot sign in with a password. An
          unverified claim blocks nobody: whoever publishes their record verifies the domain.
        </p>
        {d.domains.length > 0 && (
          <DataTable rows={d.domains} headless rowKey={(x) => x.domain} columns={domainColumns} />
        )}
        <PostForm className="row">
          <input type="hidden" name="domainAction" value="claim" />
          <Field label="Domain" name="domain" errors={errors} />
          <Button variant="secondary">Add domain</Button>
        </PostForm>
      </Card>
      <Card title="Provisioning (SCIM) token">
        <p className="hint">
          Your identity provider creates, updates and deactivates this organization’s members over SCIM 2.0 with this
          token. It can do nothing else; existing ones are listed, and revoked, on the{' '}
          <Link to={`/portal/${d.orgSlug}/api-tokens`}>API tokens page</Link>.
        </p>
        {result && 'scimSecret' in result && result.scimSecret && (
          <div className="alert alert-info" role="status">
            <p>
              <strong>Copy this token now; it is not shown again.</strong> {`It expires on ${result.expiresOn}.`}
            </p>
            <CopyableCode label="the SCIM token" text={result.scimSecret} />
            <p>SCIM base URL (tenant URL):</p>
            <CopyableCode label="the SCIM base URL" text={d.scimBaseUrl} />
          </div>
        )}
        <PostForm errors={scimErrors}>
          <input type="hidden" name="intent" value="create-scim-token" />
          <Field
            label="Used by"
            name="name"
            hint="Your identity provider, like “Okta provisioning”."
            errors={scimErrors}
          />
          <SelectField
            label="Expires after"
            name="expiresInDays"
            options={d.lifetimes}
            defaultValue={d.defaultLifetime}
            errors={scimErrors}
          />
          <Button variant="secondary">Create SCIM token</Button>
        </PostForm>
      </Card>
      <Card title="Add a connection">
        <ConnectionForm roles={d.roles} errors={errors} />
      </Card>
      <Card title="Recent single sign-on">
        <DataTable
          rows={d.recent}
          headless
          empty="No single sign-on yet."
          rowKey={(_, i) => i}
          columns={recentColumns}
        />
      </Card>
    </>
  )
}
