import { Link } from 'react-router'
import { KpiCards } from '#app/components/kpi-cards.tsx'
import type { Route } from './+types/dashboard'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { requireStaff } from '#app/lib/session.server.ts'
import { platformOverview } from '#services/admin/platform-overview.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Admin · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  requireStaff(context, request, 'admin.view')
  return platformOverview()
}

export default function AdminDashboard({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader title="Admin" subtitle="The platform at a glance." />
      <KpiCards
        figures={[
          { label: 'Organizations', value: d.organizations },
          { label: 'Users', value: d.users },
          { label: 'Audit events', value: d.auditEvents },
          {
            label: 'Failed jobs',
            value: d.jobs.failed ?? 0,
            hint: `${d.jobs.waiting ?? 0} waiting · ${d.jobs.active ?? 0} running`,
          },
          { label: 'Outbox backlog', value: d.outboxBacklog, hint: 'Committed jobs not yet queued' },
          { label: 'Emails', value: d.mail },
        ]}
      />
      <Card title="Manage">
        <ul className="links">
          <li>
            <Link to="/admin/organizations">Organizations and members</Link>
          </li>
          <li>
            <Link to="/admin/audit">Audit log</Link>
          </li>
          <li>
            <Link to="/admin/jobs">Failed jobs</Link>
          </li>
          <li>
            <Link to="/admin/mail">Outgoing mail</Link>
          </li>
          <li>
            <a href="/metrics">Prometheus metrics</a> · <a href="/healthz">Health</a>
          </li>
        </ul>
      </Card>
    </>
  )
}
