import { Form, useActionData, useSearchParams } from 'react-router'
import type { Route } from './+types/statement'
import { Button, Card, EmptyState, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { fromAppError, rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import type { Currency } from '#services/money/currency.ts'
import { formatMoney, money } from '#services/money/money.ts'
import { partnerStatement } from '#services/royalties/partner-statement.ts'
import { requestStatementEmail } from '#services/royalties/request-statement-email.ts'
import { now } from '#services/platform/clock.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Statement · GGML Platform' }]

function currentQuarter() {
  const d = now()
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'statements.view')
  const url = new URL(request.url)
  const period = url.searchParams.get('period') || currentQuarter()
  const s = await partnerStatement(scope, period).catch(rethrowAsResponse)
  const f = (m: bigint, c: string) => formatMoney(money(m, c as Currency))
  return {
    statement: {
      ...s,
      accounts: s.accounts.map((a) => ({
        currency: a.currency,
        opening: f(a.openingMinor, a.currency),
        closing: f(a.closingMinor, a.currency),
        lines: a.lines.map((l) => ({
          ...l,
          amount: f(l.amountMinor, a.currency),
          amountMinor: undefined,
          charges: l.charges.map((c) => ({ label: c.label, amount: f(c.amountMinor, a.currency), trace: c.trace })),
        })),
      })),
    },
  }
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'statements.view')
  try {
    const { period } = await requestStatementEmail(scope, String((await request.formData()).get('period') ?? ''))
    return { done: `The ${period} statement is on its way to your finance contacts.` }
  } catch (e) {
    return fromAppError(e)
  }
}

export default function Statement({ loaderData: { statement: s } }: Route.ComponentProps) {
  const [params] = useSearchParams()
  const result = useActionData<typeof action>()
  return (
    <>
      <PageHeader
        title={`Statement ${s.period}`}
        subtitle={`${s.partner} · ${s.from} to ${s.to}`}
        actions={
          <>
            <a className="btn btn-secondary" href={`statements/${s.period}.pdf`}>
              PDF
            </a>{' '}
            <a className="btn btn-secondary" href={`statements/${s.period}.csv`}>
              CSV
            </a>
          </>
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={result && 'errors' in result ? result.errors : undefined} />
      <Card>
        <PostForm className="actions-row">
          <input type="hidden" name="period" value={s.period} />
          <Button type="submit" variant="secondary">
            Email this statement
          </Button>
        </PostForm>
        <Form method="get" className="row">
          <label>
            Period
            <input name="period" defaultValue={params.get('period') ?? s.period} />
          </label>
          <Button type="submit" variant="secondary">
            Show
          </Button>
        </Form>
      </Card>
      {s.accounts.length === 0 ? (
        <Card>
          <EmptyState>Nothing has been posted for you yet.</EmptyState>
        </Card>
      ) : (
        s.accounts.map((a) => (
          <Card key={a.currency} title={`${a.currency}: opening ${a.opening}, closing ${a.closing}`}>
            {a.lines.length === 0 ? (
              <EmptyState>No postings in {s.period}.</EmptyState>
            ) : (
              <table className="preview">
                <tbody>
                  {a.lines.map((l, k) => (
                    <tr key={k}>
                      <td>
                        <strong>
                          {l.date} · {l.description}
                        </strong>
                        {l.charges.map((c, m) => (
                          <div key={m}>
                            {c.label}: {c.amount}
                            <ul className="trace">
                              {c.trace.map((t, n) => (
                                <li key={n}>{t}</li>
                              ))}
                            </ul>
                          </div>
                        ))}
                      </td>
                      <td className="num">{l.amount}</td>
                    </tr>
                  ))}
                  <tr className="total">
                    <th scope="row">Closing balance</th>
                    <td className="num">{a.closing}</td>
                  </tr>
                </tbody>
              </table>
            )}
          </Card>
        ))
      )}
    </>
  )
}
