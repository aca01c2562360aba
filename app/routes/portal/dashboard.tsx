import { Link } from 'react-router'
import { DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/dashboard'
import { StatusBadge } from '#app/components/contract-view.tsx'
import { Card, EmptyState, PageHeader, Stat } from '#app/components/ui.tsx'
import { UrgencyBanner } from '#app/components/urgency-banner.tsx'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { roleLabel } from '#services/identity/permissions.ts'
import { listTeam } from '#services/organizations/list-team.ts'
import { partnerHome } from '#services/portal/partner-home.ts'

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.organization.name ?? 'Portal'} · GGML Platform` },
]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'portal.view')
  const [team, home] = await Promise.all([
    scope.granted.has('team.view') ? listTeam(scope) : undefined,
    partnerHome(scope),
  ])
  const mine = scope.actor.memberships.find((m) => m.organizationId === scope.organization.id)
  return {
    organization: { name: scope.organization.name, slug: scope.organization.slug, kind: scope.organization.kind },
    viewerRole: mine ? roleLabel(mine.role) : 'ggml staff (read across partners)',
    memberCount: team?.members.length,
    openInvitations: team?.invitations.length,
    canManageTeam: scope.granted.has('team.invite'),
    canReport: scope.granted.has('royalties.report'),
    billing: home.billing && {
      totals: home.billing.totals.map((t) => ({
        currency: t.currency,
        outstanding: t.outstanding,
        overdue: t.overdue,
        overdueCount: t.overdueCount,
        openCount: t.openCount,
      })),
      open: home.billing.open,
    },
    reports: home.reports,
    contracts: home.contracts,
    certification: home.certification,
    urgent: home.urgent,
  }
}

const inDays = (n: number) => (n === 0 ? 'today' : n === 1 ? 'tomorrow' : `in ${n} days`)

export default function PortalDashboard({ loaderData: d }: Route.ComponentProps) {
  const base = `/portal/${d.organization.slug}`
  const late = d.reports?.filter((r) => r.daysLate > 0) ?? []
  const next = d.reports?.find((r) => r.daysLate === 0)
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
      {d.urgent.invoices && (
        <UrgencyBanner
          urgency={d.urgent.invoices.urgency}
          title={
            d.urgent.invoices.daysLeft < 0
              ? `${d.urgent.invoices.overdue.join(' and ')} overdue: the oldest invoice was due ` +
                `${-d.urgent.invoices.daysLeft} days ago`
              : `An invoice falls due ${inDays(d.urgent.invoices.daysLeft)}`
          }
          action={<Link to={`${base}/invoices?status=outstanding`}>See and pay the open invoices</Link>}
        />
      )}
      {d.urgent.reports && (
        <UrgencyBanner
          urgency={d.urgent.reports.urgency}
          title={
            d.urgent.reports.daysLeft < 0
              ? `A royalty report is ${-d.urgent.reports.daysLeft} days late`
              : `A royalty report is due ${inDays(d.urgent.reports.daysLeft)}`
          }
          action={<Link to={`${base}/reports`}>{d.canReport ? 'Submit a report' : 'See the reports'}</Link>}
        />
      )}
      <div className="grid">
        {d.billing &&
          (d.billing.totals.length === 0 ? (
            <Stat label="Balance due" value="Nothing" hint="Every invoice is paid." />
          ) : (
            d.billing.totals.map((t) => (
              <Stat
                key={t.currency}
                label={`Balance due (${t.currency})`}
                value={t.outstanding}
                hint={t.overdueCount ? `${t.overdue} overdue` : `${t.openCount} open, none overdue`}
              />
            ))
          ))}
        {d.reports && (
          <Stat
            label="Next report due"
            value={late.length ? `${late.length} late` : next ? next.due : 'None due'}
            hint={
              late.length
                ? `${late[0]!.period} was due ${late[0]!.due}`
                : next
                  ? `${next.period}, ${next.contract}`
                  : 'No report falls due in the next 120 days.'
            }
          />
        )}
        {d.certification && (
          <Stat
            label="Certified products"
            value={d.certification.badges}
            hint={
              d.certification.openRequests
                ? `${d.certification.openRequests} request${d.certification.openRequests > 1 ? 's' : ''} in progress`
                : d.certification.lastBadge
                  ? `Last badge ${d.certification.lastBadge}`
                  : 'No request in progress'
            }
          />
        )}
        {d.memberCount !== undefined && <Stat label="Members" value={d.memberCount} />}
      </div>
      {d.billing && (
        <Card title="Open invoices">
          <DataTable
            rows={d.billing.open}
            empty="Nothing to pay."
            columns={[
              { header: 'Invoice', cell: (i) => <Link to={`${base}/invoices/${i.id}`}>{i.number}</Link> },
              { header: 'For', cell: (i) => i.description },
              { header: 'Left to pay', numeric: true, cell: (i) => i.remaining },
              {
                header: 'Due',
                cell: (i) => (
                  <>
                    {i.dueDate}
                    {i.overdueDays > 0 && <div className="field-error">{i.overdueDays} days overdue</div>}
                  </>
                ),
              },
            ]}
          />
          <p>
            <Link to={`${base}/invoices`}>All invoices</Link> · <Link to={`${base}/statement`}>Statements</Link>
          </p>
        </Card>
      )}
      {d.reports && (
        <Card title="Reports due">
          {d.reports.length === 0 ? (
            <EmptyState>No report is due in the next 120 days.</EmptyState>
          ) : (
            <ul>
              {d.reports.map((r) => (
                <li key={r.contractId + r.period}>
                  {r.period} for {r.contract}: due {r.due}
                  {r.daysLate > 0 && <span className="field-error"> · {r.daysLate} days late</span>}
                </li>
              ))}
            </ul>
          )}
          {d.canReport && <Link to={`${base}/reports`}>Submit a report</Link>}
        </Card>
      )}
      {d.contracts && (
        <Card title="Contracts">
          {d.contracts.length === 0 ? (
            <EmptyState>No contract yet: your ggml partner manager drafts one with you.</EmptyState>
          ) : (
            <ul>
              {d.contracts.map((c) => (
                <li key={c.id}>
                  <Link to={`${base}/contracts/${c.id}`}>
                    {c.number} · {c.title}
                  </Link>{' '}
                  <StatusBadge status={c.status} /> {c.sentence}
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}
      {d.certification && (
        <Card title="Certification">
          <p>
            {d.certification.badges} “Powered by GGML” badge{d.certification.badges === 1 ? '' : 's'} in force
            {d.certification.revoked ? `, ${d.certification.revoked} revoked` : ''}.{' '}
            <Link to={`${base}/certification`}>Certification workspace</Link>
          </p>
        </Card>
      )}
      <Card title="Your organization">
        <ul className="links">
          <li>
            <Link to={`${base}/team`}>Team and invitations</Link>
            {d.canManageTeam ? '' : ' (read only)'}
            {d.openInvitations ? ` · ${d.openInvitations} open invitations` : ''}
          </li>
        </ul>
      </Card>
    </>
  )
}
