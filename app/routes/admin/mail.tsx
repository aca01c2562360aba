import { Form, Link, useSearchParams } from 'react-router'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/mail'
import { Pager } from '#app/components/pager.tsx'
import { Button, Card, PageHeader } from '#app/components/ui.tsx'
import { requireStaff } from '#app/lib/session.server.ts'
import { listMail } from '#services/platform/email/list-mail.ts'
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

const mailColumns: Columns<Route.ComponentProps['loaderData']['mail'][number]> = [
  { header: 'Sent (UTC)', cell: (m) => m.createdAt },
  { header: 'To', cell: (m) => m.to },
  { header: 'Subject', cell: (m) => <Link to={`/admin/mail/${m.id}`}>{m.subject}</Link> },
  { header: 'Transport', cell: (m) => m.transport },
]

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
        <DataTable rows={loaderData.mail} empty="No mail yet." columns={mailColumns} />
        {loaderData.page.pageCount > 1 && <Pager {...loaderData.page} noun="messages" />}
      </Card>
    </>
  )
}
