import { Fragment } from 'react'
import { Form, Link, redirect, useSearchParams } from 'react-router'
import type { Route } from './+types/index'
import { Pager } from '#app/components/pager.tsx'
import { Button, Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { requireActor } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { organizationSearchSchema, searchOrganizations } from '#services/organizations/search-organizations.ts'
import { pageParam, searchParam } from '#services/platform/paging.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Partners · GGML Platform' }]

const kindLabel: Record<string, string> = {
  oem_partner: 'OEM partner',
  enterprise: 'Enterprise customer',
  services_client: 'Services client',
  contributor: 'Contributor account',
  learner: 'Learner account',
}

const groupHeading = {
  partners: 'Partners and customers',
  contributors: 'Contributor accounts',
  learners: 'Learner accounts',
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireActor(context, request)
  const partnerMemberships = actor.memberships.filter((m) => m.organizationKind !== 'ggml')
  if (!canAsStaff(actor, 'organizations.list')) {
    if (partnerMemberships[0]) throw redirect(`/portal/${partnerMemberships[0].organizationSlug}`)
    throw new Response('You are not a member of any partner organization.', { status: 403 })
  }
  const params = new URL(request.url).searchParams
  // A search longer than the schema allows is cut rather than refused: it is only a filter.
  const search = organizationSearchSchema.parse({
    q: searchParam(params.get('q')),
    group: params.get('group') ?? undefined,
  })
  const { rows, ...page } = await searchOrganizations(actor, search, { page: pageParam.parse(params.get('page')) })
  return { organizations: rows.map((o) => ({ ...o, kind: kindLabel[o.kind] ?? o.kind })), page }
}

export default function PortalIndex({ loaderData: { organizations, page } }: Route.ComponentProps) {
  const [params] = useSearchParams()
  return (
    <>
      <PageHeader
        title="Partners"
        subtitle={
          "Every partner and customer organization, then contributors' and learners' own accounts. " +
          'Open one to see its portal as its members see it.'
        }
      />
      <Card>
        <Form method="get" className="filters" role="search">
          <div className="field">
            <label htmlFor="partner-search">Name or slug contains</label>
            <input id="partner-search" name="q" type="search" defaultValue={params.get('q') ?? ''} />
          </div>
          <div className="field">
            <label htmlFor="partner-group">Show</label>
            <select id="partner-group" name="group" defaultValue={params.get('group') ?? ''}>
              <option value="">Everyone</option>
              {Object.entries(groupHeading).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </Form>
        <Pager {...page} noun="organizations" />
        {organizations.length === 0 ? (
          <EmptyState>No organization matches.</EmptyState>
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
              {organizations.map((o, i) => (
                <Fragment key={o.slug}>
                  {o.group && o.group !== organizations[i - 1]?.group && (
                    <tr className="group-row">
                      <th scope="rowgroup" colSpan={3}>
                        {groupHeading[o.group]}
                      </th>
                    </tr>
                  )}
                  <tr>
                    <td>
                      <Link to={`/portal/${o.slug}`}>{o.name}</Link>
                    </td>
                    <td>{o.kind}</td>
                    <td className="num">{o.members}</td>
                  </tr>
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
        {page.pageCount > 1 && <Pager {...page} noun="organizations" />}
      </Card>
    </>
  )
}
