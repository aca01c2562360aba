import { Link, redirect } from 'react-router'
import type { Route } from './+types/index'
import { Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { requireActor } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { listOrganizations } from '#services/organizations/list-organizations.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Partners · GGML Platform' }]

const kindLabel: Record<string, string> = {
  ggml: 'ggml',
  oem_partner: 'OEM partner',
  enterprise: 'Enterprise customer',
  services_client: 'Services client',
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireActor(context, request)
  const partnerMemberships = actor.memberships.filter((m) => m.organizationKind !== 'ggml')
  if (!canAsStaff(actor, 'organizations.list')) {
    if (partnerMemberships[0]) throw redirect(`/portal/${partnerMemberships[0].organizationSlug}`)
    throw new Response('You are not a member of any partner organization.', { status: 403 })
  }
  const orgs = await listOrganizations(actor)
  return {
    organizations: orgs
      .filter((o) => o.kind !== 'ggml')
      .map((o) => ({ slug: o.slug, name: o.name, kind: kindLabel[o.kind] ?? o.kind, members: o._count.memberships })),
  }
}

export default function PortalIndex({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="Partners"
        subtitle="Every partner and customer organization. Open one to see its portal as its members see it."
      />
      <Card>
        {loaderData.organizations.length === 0 ? (
          <EmptyState>No partner organizations yet.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Organization</th>
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
                    <Link to={`/portal/${o.slug}`}>{o.name}</Link>
                  </td>
                  <td>{o.kind}</td>
                  <td className="num">{o.members}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  )
}
