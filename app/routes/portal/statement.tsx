import { Form, useActionData, useSearchParams } from 'react-router'
import type { Route } from './+types/statement'
import { Button, Card, EmptyState, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import type { Currency } from '#services/kernel/money/currency.ts'
import { formatMoney, money } from '#services/kernel/money/money.ts'
import { partnerStatement, statementLastDay, type StatementLine } from '#services/royalties/partner-statement.ts'
import { parsePeriod } from '#services/royalties/reporting-period.ts'
import { requestStatementEmail } from '#services/royalties/request-statement-email.ts'
import { now } from '#services/platform/clock.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Statement · GGML Platform' }]

function currentQuarter() {
  const d = now()
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`
}

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'statements.view')
  const asked = new URL(request.url).searchParams.get('period')
  // A period that cannot be read is said beside the form; the page shows the current quarter.
  const problem = asked && !parsePeriod(asked) ? `“${asked}” is not a period: use one like 2027-Q1 or 2027-03.` : null
  const s = await partnerStatement(scope, asked && !problem ? asked : currentQuarter()).catch(rethrowAsResponse)
  const f = (m: bigint, c: string) => formatMoney(money(m, c as Currency))
  const shown = (l: StatementLine, c: string) => ({
    postedOn: l.postedOn,
    servicePeriod: l.servicePeriod,
    description: l.description,
    amount: f(l.amountMinor, c),
    charges: l.charges.map((ch) => ({ label: ch.label, amount: f(ch.amountMinor, c), trace: ch.trace })),
  })
  return {
    problem,
    statement: {
      partner: s.partner,
      period: s.period,
      from: s.from,
      lastDay: statementLastDay(s),
      accounts: s.accounts.map((a) => ({
        currency: a.currency,
        charges: a.charges.map((l) => shown(l, a.currency)),
        chargesTotal: f(a.chargesTotalMinor, a.currency),
        opening: f(a.openingMinor, a.currency),
        activity: a.activity.map((l) => shown(l, a.currency)),
        closing: f(a.closingMinor, a.currency),
      })),
    },
  }
}

type ShownLine = {
  postedOn: string
  servicePeriod: string | null
  description: string
  amount: string
  charges: { label: string; amount: string; trace: string[] }[]
}

function Lines({ lines }: { lines: ShownLine[] }) {
  return lines.map((l, k) => (
    <tr key={k}>
      <td>
        <strong>{l.description}</strong>
        <div className="hint">
          {l.servicePeriod ? `For ${l.servicePeriod} · ` : ''}posted {l.postedOn}
        </div>
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
  ))
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'statements.view')
  return attempt(async () => {
    const { period } = await requestStatementEmail(scope, String((await request.formData()).get('period') ?? ''))
    return { done: `The ${period} statement is on its way to your finance contacts.` }
  })
}

export default function Statement({ loaderData: { statement: s, problem } }: Route.ComponentProps) {
  const [params] = useSearchParams()
  const result = useActionData<typeof action>()
  return (
    <>
      <PageHeader
        title={`Statement ${s.period}`}
        subtitle={
          <>
            {s.partner} · <time>{s.from}</time> to <time>{s.lastDay}</time>
          </>
        }
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
            <input
              name="period"
              defaultValue={params.get('period') ?? s.period}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'period-problem' : undefined}
            />
          </label>
          {problem && (
            <p id="period-problem" className="field-error" role="alert">
              {problem}
            </p>
          )}
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
          <div key={a.currency}>
            <Card title={`${a.currency}: charges for ${s.period}`}>
              {a.charges.length === 0 ? (
                <EmptyState>Nothing is charged for {s.period}.</EmptyState>
              ) : (
                <table className="preview">
                  <tbody>
                    <Lines lines={a.charges} />
                    <tr className="total">
                      <th scope="row">Charges for {s.period}</th>
                      <td className="num">{a.chargesTotal}</td>
                    </tr>
                  </tbody>
                </table>
              )}
            </Card>
            <Card title={`${a.currency}: your account in ${s.period}`}>
              <table className="preview">
                <tbody>
                  <tr>
                    <th scope="row">Opening balance</th>
                    <td className="num">{a.opening}</td>
                  </tr>
                  <Lines lines={a.activity} />
                  <tr className="total">
                    <th scope="row">Closing balance</th>
                    <td className="num">{a.closing}</td>
                  </tr>
                </tbody>
              </table>
            </Card>
          </div>
        ))
      )}
    </>
  )
}
