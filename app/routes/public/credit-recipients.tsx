import type { Route } from './+types/credit-recipients'
import { Card, EmptyState, PageHeader } from '#app/components/ui.tsx'
import { publicRecipients } from '#services/credits/program-overview.ts'

export const meta: Route.MetaFunction = ({ params }) => [
  { title: `${params.year} contributor reward recipients · ggml` },
]

// Public: the year's recipients who chose to be named, and nothing else about them.
export async function loader({ params }: Route.LoaderArgs) {
  const year = Number(params.year)
  if (!Number.isInteger(year) || year < 2023 || year > 2100)
    throw new Response('No such program year.', { status: 404 })
  return { year, recipients: await publicRecipients(year) }
}

export default function Recipients({ loaderData: d }: Route.ComponentProps) {
  return (
    <div className="public-page">
      <PageHeader
        title={`${d.year} contributor rewards`}
        subtitle={
          'ggml thanks the open-source contributors whose work in the ggml-org repositories led the year. ' +
          'Listed with their consent.'
        }
      />
      <Card>
        {d.recipients.length === 0 ? (
          <EmptyState>No recipient has chosen to be listed yet.</EmptyState>
        ) : (
          <ul>
            {d.recipients.map((r) => (
              <li key={r.login}>
                <a href={`https://github.com/${encodeURIComponent(r.login)}`} rel="noopener noreferrer">
                  {r.login}
                </a>{' '}
                <span className="hint">{r.tier}</span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  )
}
