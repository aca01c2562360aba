import { Link, useActionData } from 'react-router'
import type { Route } from './+types/organizations'
import { Button, Card, Field, FormError, Notice, PageHeader, PostForm, SelectField } from '#app/components/ui.tsx'
import { fromAppError, invalid, parseForm } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { createOrganization, createOrganizationSchema } from '#services/organizations/create-organization.ts'
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
  const parsed = await parseForm(request, createOrganizationSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  try {
    const org = await createOrganization(actor, parsed.data)
    return { created: org.name }
  } catch (e) {
    return fromAppError(e)
  }
}

export default function AdminOrganizations({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader title="Organizations" />
      {result && 'created' in result && <Notice>{result.created} was added.</Notice>}
      <Card>
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Slug</th>
              <th scope="col">Kind</th>
              <th scope="col" className="num">
                Members
              </th>
            </tr>
          </thead>
          <tbody>
            {loaderData.organizations.map((o) => (
              <tr key={o.slug}>
                <td>
                  <Link to={`/portal/${o.slug}/team`}>{o.name}</Link>
                </td>
                <td>
                  <code>{o.slug}</code>
                </td>
                <td>{kinds.find((k) => k.value === o.kind)?.label ?? o.kind}</td>
                <td className="num">{o.members}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Add an organization">
        <PostForm noValidate>
          <FormError errors={errors} />
          <Field label="Name" name="name" required errors={errors} />
          <Field
            label="Slug"
            name="slug"
            hint="Used in addresses, like /portal/northwind-silicon."
            required
            errors={errors}
          />
          <SelectField label="Kind" name="kind" options={kinds} errors={errors} />
          <Button type="submit">Add organization</Button>
        </PostForm>
      </Card>
    </>
  )
}
