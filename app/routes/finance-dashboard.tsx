import type { Route } from './+types/finance-dashboard'
import { AreaDashboard } from '../components/area-dashboard.tsx'
import { requireStaff } from '../lib/session.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Finance · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  requireStaff(context, request, 'finance.view')
  return null
}

export default function Dashboard() {
  return <AreaDashboard title="Finance" intro="Royalty and minimum-guarantee ledgers, statements and invoices for every partner." coming={['Royalty and minimum-guarantee ledgers', 'Partner statements and Stripe invoices', 'Revenue by business line and ARR']} />
}
