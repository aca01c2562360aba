import { Link } from 'react-router'
import type { Route } from './+types/mail'
import { Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { requireStaff } from '#app/lib/session.server.ts'
import { listMail } from '#services/email/list-mail.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Mail · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  requireStaff(context, request, 'mail.read')
  const mail = await listMail()
  return { mail: mail.map((m) => ({ ...m, createdAt: m.createdAt.toISOString().replace('T', ' ').slice(0, 19) })) }
}

export default function AdminMail({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="Outgoing mail"
        subtitle="Every email the platform sent. Without RESEND_API_KEY this is the only place mail goes."
      />
      <Card>
        {loaderData.mail.length === 0 ? (
          <EmptyState>No mail yet.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Sent (UTC)</th>
                <th scope="col">To</th>
                <th scope="col">Subject</th>
                <th scope="col">Transport</th>
              </tr>
            </thead>
            <tbody>
              {loaderData.mail.map((m) => (
                <tr key={m.id}>
                  <td>{m.createdAt}</td>
                  <td>{m.to}</td>
                  <td>
                    <Link to={`/admin/mail/${m.id}`}>{m.subject}</Link>
                  </td>
                  <td>{m.transport}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  )
}
