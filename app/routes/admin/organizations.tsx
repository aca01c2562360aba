import { Link, useActionData } from 'react-router'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/organizations'
import { Button, Card, Field, Notice, PageHeader, PostForm, SelectField } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { createOrganization, createOrganizationSchema } from '#services/organizations/create-organization.ts'
import { firstAdminSchema, inviteFirstAdmin } from '#services/organizations/invite-first-admin.ts'
import { listOrganizations } from '#services/organizations/list-organizations.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Organizations · GGML Platform' }]

const kinds = [
  { value: 'oem_partner', label: 'OEM partner' },
  { value: 'enterprise', label: 'Enterprise customer' },
  { value: 'services_client', label: 'Services client' },
]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'organizations.list')
  const orgs = await listOrganizations(actor)
  return {
    organizations: orgs.map((o) => ({ slug: o.slug, name: o.name, kind: o.kind, members: o._count.memberships })),
  }
}

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'organizations.create')
  const values = Object.fromEntries(await request.formData())
  return attempt(async () => {
    if (values.intent === 'invite-first-admin') {
      const parsed = parseValues(values, firstAdminSchema)
      if (!parsed.ok) return invalid(parsed.errors)
      const invitation = await inviteFirstAdmin(actor, parsed.data)
      return { done: `Invitation sent to ${invitation.email}; it is valid for seven days.` }
    }
    const parsed = parseValues(values, createOrganizationSchema)
    if (!parsed.ok) return invalid(parsed.errors)
    const org = await createOrganization(actor, parsed.data)
    return {
      done: parsed.data.firstAdminEmail
        ? `${org.name} was added, and ${parsed.data.firstAdminEmail} was invited as its admin.`
        : `${org.name} was added. Invite its first admin from the list.`,
    }
  })
}

/** An organization nobody has joined yet: ggml invites its first admin. */
function InviteFirstAdmin({ org: o }: { org: { slug: string; name: string } }) {
  return (
    <PostForm className="inline-form">
      <input type="hidden" name="intent" value="invite-first-admin" />
      <input type="hidden" name="organizationSlug" value={o.slug} />
      <label className="sr-only" htmlFor={`first-admin-${o.slug}`}>
        First admin of {o.name}
      </label>
      <input
        id={`first-admin-${o.slug}`}
        name="email"
        type="email"
        required
        placeholder="first admin’s email"
        autoComplete="off"
      />
      <Button type="submit">Invite first admin</Button>
    </PostForm>
  )
}

const organizationColumns: Columns<Route.ComponentProps['loaderData']['organizations'][number]> = [
  { header: 'Name', cell: (o) => <Link to={`/portal/${o.slug}/team`}>{o.name}</Link> },
  { header: 'Slug', cell: (o) => <code>{o.slug}</code> },
  { header: 'Kind', cell: (o) => kinds.find((k) => k.value === o.kind)?.label ?? o.kind },
  {
    header: 'Members',
    numeric: true,
    cell: (o) => (o.members > 0 || !kinds.some((k) => k.value === o.kind) ? o.members : <InviteFirstAdmin org={o} />),
  },
]

export default function AdminOrganizations({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader title="Organizations" />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <Card>
        <DataTable rows={loaderData.organizations} rowKey={(o) => o.slug} columns={organizationColumns} />
      </Card>
      <Card title="Add an organization">
        <PostForm errors={errors}>
          <Field label="Name" name="name" required errors={errors} />
          <Field
            label="Slug"
            name="slug"
            hint="Used in addresses, like /portal/northwind-silicon."
            required
            errors={errors}
          />
          <SelectField label="Kind" name="kind" options={kinds} errors={errors} />
          <Field
            label="First admin’s email"
            name="firstAdminEmail"
            type="email"
            hint="Optional: invited as the organization’s admin at once; they invite the rest of their team."
            errors={errors}
          />
          <Button type="submit">Add organization</Button>
        </PostForm>
      </Card>
    </>
  )
}
