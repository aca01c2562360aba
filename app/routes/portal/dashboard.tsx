import { Link } from 'react-router'
import type { Route } from './+types/dashboard'
import { Card, PageHeader, Stat } from '#app/components/ui.tsx'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { roleLabel } from '#services/identity/permissions.ts'
import { listTeam } from '#services/organizations/list-team.ts'

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.organization.name ?? 'Portal'} · GGML Platform` },
]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'portal.view')
  const team = scope.granted.has('team.view') ? await listTeam(scope) : undefined
  const mine = scope.actor.memberships.find((m) => m.organizationId === scope.organization.id)
  return {
    organization: { name: scope.organization.name, slug: scope.organization.slug, kind: scope.organization.kind },
    viewerRole: mine ? roleLabel(mine.role) : 'ggml staff (read across partners)',
    memberCount: team?.members.length,
    openInvitations: team?.invitations.length,
    canManageTeam: scope.granted.has('team.invite'),
  }
}

export default function PortalDashboard({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title={d.organization.name}
        subtitle={
          <>
            Partner portal · you are viewing as <strong>{d.viewerRole}</strong>
          </>
        }
      />
      <div className="grid">
        {d.memberCount !== undefined && <Stat label="Members" value={d.memberCount} />}
        {d.openInvitations !== undefined && <Stat label="Open invitations" value={d.openInvitations} />}
      </div>
      <Card title="Your organization">
        <ul className="links">
          <li>
            <Link to={`/portal/${d.organization.slug}/team`}>Team and invitations</Link>
            {d.canManageTeam ? '' : ' (read only)'}
          </li>
        </ul>
        <p className="hint">
          License contracts, shipment reports, royalty statements, invoices and hardware certification appear here as
          they come online.
        </p>
      </Card>
    </>
  )
}
