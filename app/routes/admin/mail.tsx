import { Form, Link, useSearchParams } from 'react-router'
import type { Route } from './+types/mail'
import { Pager } from '#app/components/pager.tsx'
import { Button, Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { requireStaff } from '#app/lib/session.server.ts'
import { listMail } from '#services/email/list-mail.ts'
import { pageParam } from '#services/platform/paging.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Mail · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  requireStaff(context, request, 'mail.read')
  const search = new URL(request.url).searchParams
  const { rows, ...page } = await listMail(
    { to: search.get('to')?.trim().slice(0, 200) || undefined },
    { page: pageParam.parse(search.get('page')) },
  )
  return {
    page,
    mail: rows.map((m) => ({ ...m, createdAt: m.createdAt.toISOString().replace('T', ' ').slice(0, 19) })),
  }
}

export default function AdminMail({ loaderData }: Route.ComponentProps) {
  const [params] = useSearchParams()
  return (
    <>
      <PageHeader
        title="Outgoing mail"
        subtitle="Every email the platform sent. Without RESEND_API_KEY this is the only place mail goes."
      />
      <Card>
        <Form method="get" className="filters" role="search">
          <div className="field">
            <label htmlFor="mail-to">To contains</label>
            <input id="mail-to" name="to" type="search" defaultValue={params.get('to') ?? ''} />
          </div>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </Form>
        <Pager {...loaderData.page} noun="messages" />
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
        {loaderData.page.pageCount > 1 && <Pager {...loaderData.page} noun="messages" />}
      </Card>
    </>
  )
}
