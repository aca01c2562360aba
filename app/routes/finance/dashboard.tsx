import { Fragment } from 'react'
import type { Route } from './+types/dashboard'
import { Form, useActionData } from 'react-router'
import { z } from 'zod'
import { AgingBar, OpenInvoicesTable } from '#app/components/aging-bar.tsx'
import { FinanceTable, HeadlineStrip, WorkspaceTabs, type ShownTable } from '#app/components/finance-workspace.tsx'
import { Pager } from '#app/components/pager.tsx'
import { Button, Card, EmptyState, Field, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { readAsOf } from '#app/lib/as-of.server.ts'
import { isBookMonth } from '#services/kernel/calendar/months.ts'
import { fromAppError, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import financeCss from '#app/styles/finance.css?url'
import { financeHeadlines } from '#services/finance/finance-headlines.ts'
import { financeTables, type FinanceTableName, type Table } from '#services/finance/finance-reports.ts'
import { listOpenInvoices, openInvoicesFilterSchema } from '#services/finance/list-open-invoices.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import type { Currency } from '#services/kernel/money/currency.ts'
import { formatMoney, money } from '#services/kernel/money/money.ts'
import { pageParam } from '#services/platform/paging.ts'
import { closePeriod } from '#services/royalties/close-period.ts'
import { previewPeriodClose, recentPeriodCloses } from '#services/royalties/preview-period-close.ts'
import { coverageBars, GuaranteeCoverageChart } from './guarantee-coverage.tsx'

export const meta: Route.MetaFunction = () => [{ title: 'Finance · GGML Platform' }]
export const links: Route.LinksFunction = () => [{ rel: 'stylesheet', href: financeCss }]

const titles: Record<FinanceTableName, string> = {
  payments: 'Payments received',
  missing: 'Reports past due',
  revenue: 'Revenue by business line (recognised)',
  contracted: 'Contracted OEM ARR: contracted, not recognised',
  wip: 'Services work in progress (approved, not yet invoiced)',
  royalties: 'Royalties by partner and period',
  guarantees: 'Minimum-guarantee coverage',
  aging: 'Receivables aging (open invoices)',
  units: 'Units by device class and region',
  balances: 'Partner balances',
  'trial-balance': 'Trial balance',
  'training-refunds': 'Training orders refunded (by the learner, or automatically when not fulfilled)',
}

/** The workspace's tabs and the tables each shows, most asked-for first (issue 29). */
const tabs = {
  receivables: { label: 'Receivables', tables: ['aging', 'balances', 'payments'] },
  revenue: { label: 'Revenue', tables: ['revenue', 'contracted', 'guarantees', 'wip'] },
  ledger: { label: 'Ledger', tables: ['trial-balance'] },
  reports: { label: 'Reports', tables: ['missing', 'royalties', 'units'] },
  refunds: { label: 'Refunds', tables: ['training-refunds'] },
  close: { label: 'Close the books', tables: [] },
} as const satisfies Record<string, { label: string; tables: FinanceTableName[] }>
type Tab = keyof typeof tabs

/** The tables that read the books at a date. */
const dated = new Set<FinanceTableName>(['balances', 'trial-balance'])

/** Money columns (…_minor) shown in the row's currency; the account code goes small beside its name. */
function display(name: FinanceTableName, t: Table): Omit<ShownTable, 'title' | 'exportHref'> {
  const cur = t.columns.indexOf('currency')
  const code = t.columns.indexOf('account_code')
  const keep = t.columns.map((_, i) => i !== code)
  const columns = t.columns.filter((_, i) => keep[i])
  return {
    name,
    columns: columns.map((c) => c.replace(/_minor$/, '').replaceAll('_', ' ')),
    numeric: columns.map(
      (c) => c.endsWith('_minor') || c === 'units' || c === 'months_reported' || c === 'days_late' || c === 'contracts',
    ),
    rows: t.rows.map((r) =>
      r
        .filter((_, i) => keep[i])
        .map((v, i) =>
          columns[i]!.endsWith('_minor') && cur >= 0
            ? formatMoney(money(BigInt(v), r[cur] as Currency))
            : typeof v === 'bigint' || typeof v === 'number'
              ? Number(v).toLocaleString('en-US')
              : v,
        ),
    ),
    ...(code >= 0 && { codes: t.rows.map((r) => String(r[code])) }),
    ...(t.links && { links: t.links }),
  }
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'finance.view')
  const url = new URL(request.url)
  const canClose = canAsStaff(actor, 'periods.close')
  const asked = url.searchParams.get('tab') ?? 'receivables'
  const tab: Tab = Object.hasOwn(tabs, asked) && (asked !== 'close' || canClose) ? (asked as Tab) : 'receivables'
  const all = url.searchParams.get('all') === '1'
  const { asOf, problem } = readAsOf(request)
  const query = (name: FinanceTableName) => {
    const q = new URLSearchParams()
    if (dated.has(name) && asOf) q.set('asOf', asOf)
    if (name === 'balances' && all) q.set('all', '1')
    return q.size ? `?${q}` : ''
  }
  // A segment of the aging bar opens the open invoices of its bucket and currency (?aging=…&currency=…).
  const filter = openInvoicesFilterSchema.parse({
    aging: url.searchParams.get('aging') ?? undefined,
    currency: url.searchParams.get('currency') ?? undefined,
  })
  const [headlines, tables, openInvoices] = await Promise.all([
    financeHeadlines(actor),
    Promise.all(
      tabs[tab].tables.map(async (n: FinanceTableName) => {
        const table = await financeTables[n](actor, { asOf, all })
        return {
          ...display(n, table),
          title: dated.has(n) && asOf ? `${titles[n]} at the end of ${asOf}` : titles[n],
          exportHref: `/finance/export/${n}.csv${query(n)}`,
          coverage: n === 'guarantees' && table.rows.length ? coverageBars(table) : null,
        }
      }),
    ),
    tab === 'receivables' && filter.aging
      ? listOpenInvoices(actor, filter, { page: pageParam.parse(url.searchParams.get('page') ?? undefined) })
      : null,
  ])
  const month = url.searchParams.get('month')?.trim().slice(0, 7)
  return {
    tab,
    tabs: Object.entries(tabs)
      .filter(([k]) => k !== 'close' || canClose)
      .map(([key, t]) => ({ key, label: t.label, href: `/finance?tab=${key}` })),
    headlines: headlines.figures,
    aging: headlines.aging,
    filter,
    openInvoices,
    tables,
    all,
    asOf,
    problem,
    close:
      tab === 'close'
        ? {
            preview: month ? await previewPeriodClose(actor, month) : null,
            recent: await recentPeriodCloses(actor),
          }
        : null,
  }
}

const closeSchema = z
  .object({
    intent: z.literal('close'),
    month: z.string().trim().refine(isBookMonth, 'Use a month like 2027-03.'),
    confirm: z.string().trim().max(20).default(''),
  })
  .refine((f) => f.confirm === f.month, {
    path: ['confirm'],
    message: 'Type the month exactly as shown to confirm: closing cannot be undone.',
  })

// Closing the books, only after the preview and a typed confirmation (issue 29): it cannot be undone.
export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'periods.close')
  const parsed = parseValues(Object.fromEntries(await request.formData()), closeSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  try {
    const { settlements, unsettled } = await closePeriod(actor, parsed.data.month)
    const settled = settlements ? `; ${settlements} unreported month(s) billed with a zero report` : ''
    const left = unsettled.length
      ? ` Not settled: ${unsettled.map((u) => `${u.partner} ${u.contract} (${u.reason})`).join('; ')}.`
      : ''
    return { done: `${parsed.data.month} is closed${settled}.${left}` }
  } catch (e) {
    return fromAppError(e)
  }
}

function BooksAtADate({ asOf, problem, tab }: { asOf?: string; problem: string | null; tab: Tab }) {
  return (
    <Form method="get" className="row fin-as-of" aria-label="Books at a date">
      <input type="hidden" name="tab" value={tab} />
      <div className="field">
        <label htmlFor="asOf">Balances at the end of</label>
        <input id="asOf" name="asOf" type="date" defaultValue={asOf ?? ''} aria-invalid={!!problem} />
        {problem && <p className="field-error">{problem}</p>}
      </div>
      <Button type="submit" variant="secondary">
        Show
      </Button>
      <p className="hint">
        Balances count postings by their effective date{asOf ? `, up to ${asOf}` : ' (all history now)'}.
      </p>
    </Form>
  )
}

function CloseTheBooks({ close }: { close: NonNullable<Route.ComponentProps['loaderData']['close']> }) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const p = close.preview
  return (
    <>
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={errors} />
      <Card title="Close a month">
        <p className="hint">
          Closing bills what the month owes whether or not partners reported (a zero report for a base fee, and for
          every unreported month of a guarantee period that ends with it), then locks the month: nothing can be posted
          in it again. It cannot be undone, so preview it first.
        </p>
        <Form method="get" className="row">
          <input type="hidden" name="tab" value="close" />
          <Field label="Month" name="month" defaultValue={p?.month ?? ''} hint="Like 2027-03." />
          <Button type="submit" variant="secondary">
            Preview
          </Button>
        </Form>
      </Card>
      {p && (
        <Card title={`What closing ${p.month} will do`}>
          {p.blocked ? (
            <p className="field-error">{p.blocked}</p>
          ) : (
            <>
              {p.zeroReports.length === 0 ? (
                <EmptyState>No zero report: every month that must be billed was reported.</EmptyState>
              ) : (
                <>
                  <p>
                    <strong>{p.count}</strong> zero report(s) on {p.zeroReports.length} contract(s), each rated like any
                    report, so the fee or the guarantee shortfall is charged:
                  </p>
                  <ul className="fin-close-list">
                    {p.zeroReports.map((z) => (
                      <li key={z.contract}>
                        <strong>{z.partner}</strong>, {z.contract}:{' '}
                        {z.months.map((m) => `${m.month} (${m.reasons.join(' and ')})`).join(', ')}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              <PostForm className="row">
                <input type="hidden" name="intent" value="close" />
                <input type="hidden" name="month" value={p.month} />
                <Field
                  label={`Type ${p.month} to confirm`}
                  name="confirm"
                  autoComplete="off"
                  hint="Closing posts the reports above and locks the month for good."
                  errors={errors}
                />
                <Button type="submit" variant="danger">
                  Close {p.month} for good
                </Button>
              </PostForm>
            </>
          )}
        </Card>
      )}
      <Card title="Months closed">
        <p>
          <a href="/finance/accounting">Export a closed month's journal for Xero, QuickBooks Online or a generic CSV</a>
        </p>
        {close.recent.length === 0 ? (
          <EmptyState>No month is closed yet.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Closed on</th>
                <th scope="col">By</th>
                <th scope="col" className="num">
                  Zero reports
                </th>
              </tr>
            </thead>
            <tbody>
              {close.recent.map((c) => (
                <tr key={c.period}>
                  <td>{c.period}</td>
                  <td>{c.closedOn}</td>
                  <td>{c.by}</td>
                  <td className="num">{c.settlements}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  )
}

export default function Finance({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="Finance"
        subtitle="Who owes what and since when, revenue, the ledger and the month close. Every table exports as CSV."
      />
      <HeadlineStrip figures={d.headlines} />
      <AgingBar bars={d.aging} selected={{ bucket: d.filter.aging, currency: d.filter.currency }} />
      <WorkspaceTabs label="Finance sections" tabs={d.tabs} current={d.tab} />
      {d.openInvoices && (
        <OpenInvoicesTable
          title={d.openInvoices.title}
          rows={d.openInvoices.rows}
          clearHref="/finance?tab=receivables"
          pager={<Pager {...d.openInvoices} noun="invoices" />}
        />
      )}
      {(d.tab === 'receivables' || d.tab === 'ledger') && (
        <BooksAtADate asOf={d.asOf} problem={d.problem} tab={d.tab} />
      )}
      {d.tables.map((t) => (
        <Fragment key={t.name}>
          <FinanceTable t={t}>
            {t.name === 'balances' && (
              <a href={`/finance?tab=receivables${d.all ? '' : '&all=1'}${d.asOf ? `&asOf=${d.asOf}` : ''}`}>
                {d.all ? 'Hide zero balances' : 'Show all partners, zero balances included'}
              </a>
            )}
          </FinanceTable>
          {t.coverage && <GuaranteeCoverageChart bars={t.coverage} />}
        </Fragment>
      ))}
      {d.close && <CloseTheBooks close={d.close} />}
    </>
  )
}
