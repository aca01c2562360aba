import type { Route } from './+types/accounting'
import { useActionData } from 'react-router'
import { z } from 'zod'
import { isBookMonth } from '#services/kernel/calendar/months.ts'
import { Button, Card, EmptyState, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { accountMapping } from '#services/finance/account-mapping.ts'
import { accountingExportsByMonth } from '#services/finance/accounting-exports.ts'
import { exportPeriodJournal } from '#services/finance/export-period-journal.ts'
import { saveAccountMapping } from '#services/finance/save-account-mapping.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import type { Currency } from '#services/kernel/money/currency.ts'
import { formatMoney, money } from '#services/kernel/money/money.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Accounting export · Finance · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'finance.export_journal')
  const [accounts, months] = await Promise.all([accountMapping(actor), accountingExportsByMonth(actor)])
  return {
    accounts,
    canMap: canAsStaff(actor, 'finance.map_accounts'),
    months: months.map((m) => ({
      ...m,
      exports: m.exports.map((e) => ({
        ...e,
        totals: e.totals.map((t) => ({
          currency: t.currency,
          debits: formatMoney(money(t.debitsMinor, t.currency as Currency)),
          credits: formatMoney(money(t.creditsMinor, t.currency as Currency)),
        })),
      })),
    })),
  }
}

const exportSchema = z.object({
  intent: z.literal('export'),
  period: z.string().trim().refine(isBookMonth, 'Use a month like 2027-03.'),
})

// Two forms: finance's chart of accounts (finance.map_accounts), and a closed month's export
// (finance.export_journal). The mapping's fields are named <account type>.code and <account type>.name.
export async function action({ context, request }: Route.ActionArgs) {
  const form = Object.fromEntries(await request.formData())
  if (form.intent === 'map') {
    const actor = requireStaff(context, request, 'finance.map_accounts')
    const mapping: Record<string, { code: unknown; name: unknown }> = {}
    for (const [key, value] of Object.entries(form)) {
      const m = /^([a-z_]{1,40})\.(code|name)$/.exec(key)
      if (m) (mapping[m[1]!] ??= { code: '', name: '' })[m[2] as 'code' | 'name'] = value
    }
    return attempt(async () => {
      const { mapped } = await saveAccountMapping(actor, mapping)
      return { done: `Chart of accounts saved: ${mapped} ledger account(s) mapped.` }
    })
  }
  const actor = requireStaff(context, request, 'finance.export_journal')
  const parsed = parseValues(form, exportSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    const result = await exportPeriodJournal(actor, parsed.data.period)
    return {
      done:
        `${result.period} exported: ${result.files.length} file(s)` +
        (result.changes.identical ? ', identical to the previous export.' : '.'),
    }
  })
}

function ChartOfAccounts({ accounts, canMap }: Pick<Route.ComponentProps['loaderData'], 'accounts' | 'canMap'>) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <Card title="Your chart of accounts">
      <p className="hint">
        Each ledger account of the platform exports under your account: Xero imports a line by its code, QuickBooks
        Online by its name (a sub-account as Parent:Sub). Several ledger accounts may share one of yours. An export is
        refused while an account it needs is unmapped.
      </p>
      <PostForm>
        <input type="hidden" name="intent" value="map" />
        <table>
          <thead>
            <tr>
              <th scope="col">Ledger account</th>
              <th scope="col">Code</th>
              <th scope="col">Name in your books</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => {
              const errs = [
                ...(errors?.fieldErrors?.[`${a.accountType}.code`] ?? []),
                ...(errors?.fieldErrors?.[`${a.accountType}.name`] ?? []),
              ]
              return (
                <tr key={a.accountType}>
                  <th scope="row">
                    {a.label} <code className="hint">{a.accountType}</code>
                    {errs.length > 0 && <p className="field-error">{errs.join(' ')}</p>}
                    {!a.code && <p className="hint">Unmapped</p>}
                  </th>
                  <td>
                    <input
                      name={`${a.accountType}.code`}
                      aria-label={`${a.label}: code`}
                      defaultValue={a.code ?? ''}
                      maxLength={10}
                      size={8}
                      readOnly={!canMap}
                      aria-invalid={errs.length ? true : undefined}
                    />
                  </td>
                  <td>
                    <input
                      name={`${a.accountType}.name`}
                      aria-label={`${a.label}: name in your books`}
                      defaultValue={a.name ?? ''}
                      maxLength={100}
                      readOnly={!canMap}
                      aria-invalid={errs.length ? true : undefined}
                    />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
        {canMap && <Button type="submit">Save the chart of accounts</Button>}
      </PostForm>
    </Card>
  )
}

export default function AccountingExport({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Accounting export"
        subtitle={
          <>
            A closed month's journal as files your accounting system imports: Xero manual journals (a file per
            currency), a QuickBooks Online journal import, and a generic double-entry CSV. Totals balance per currency
            and equal the trial balance's movement in the month. <a href="/finance?tab=close">Close a month</a>
          </>
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={errors} />
      <Card title="Closed months">
        {d.months.length === 0 ? (
          <EmptyState>No month is closed yet: close one first, so its journal cannot change after export.</EmptyState>
        ) : (
          d.months.map((m) => (
            <section key={m.period} aria-label={`Exports of ${m.period}`}>
              <h3>
                {m.period} <span className="hint">closed {m.closedOn}</span>
              </h3>
              <PostForm className="row">
                <input type="hidden" name="intent" value="export" />
                <input type="hidden" name="period" value={m.period} />
                <Button type="submit" variant={m.exports.length ? 'secondary' : undefined}>
                  {m.exports.length ? `Export ${m.period} again` : `Export ${m.period}`}
                </Button>
              </PostForm>
              {m.exports.map((e) => (
                <div key={e.id} className="fin-export">
                  <p>
                    <strong>{e.exportedAt}</strong> by {e.by}.{' '}
                    {e.totals.map((t) => `${t.currency}: debits ${t.debits} = credits ${t.credits}`).join('; ')}
                  </p>
                  <ul>
                    {e.changes.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                  <ul>
                    {e.files.map((f) => (
                      <li key={f.id}>
                        <a href={`/finance/accounting/files/${f.id}`} download>
                          {f.name}
                        </a>{' '}
                        <span className="hint">
                          {`${f.bytes.toLocaleString('en-US')} bytes, SHA-256 `}
                          <code title={f.sha256}>{f.sha256.slice(0, 16)}…</code>
                        </span>
                      </li>
                    ))}
                  </ul>
                </div>
              ))}
            </section>
          ))
        )}
      </Card>
      <ChartOfAccounts accounts={d.accounts} canMap={d.canMap} />
    </>
  )
}
