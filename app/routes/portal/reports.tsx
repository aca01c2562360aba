import { data, Link, redirect, useActionData, useNavigation } from 'react-router'
import { z } from 'zod'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import type { Route } from './+types/reports'
import { Button, Card, EmptyState, Input, PageHeader, PostForm, Select } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues, stringFields } from '#app/lib/forms.server.ts'
import { pageOrganization, requireTenant } from '#app/lib/tenant.server.ts'
import { canIn } from '#services/identity/actor.ts'
import { listReports, reportableContracts } from '#services/royalties/report-queries.ts'
import { dueReports } from '#services/royalties/missing-reports.ts'
import { loadMappings } from '#services/royalties/report-mappings.ts'
import { reportColumns, type LineIssue } from '#services/royalties/report-lines.ts'
import { receiveRoyaltyReport } from '#services/royalties/receive-royalty-report.ts'
import { prepareReport } from '#services/royalties/prepare-report.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Royalty reports · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'royalties.view')
  const [contracts, reports, due] = await Promise.all([
    reportableContracts(scope),
    listReports(scope),
    dueReports(scope.db, undefined, 30),
  ])
  return {
    ...pageOrganization(scope),
    canReport: canIn(scope.actor, scope.organization.id, 'royalties.report'),
    contracts,
    reports,
    due: due.map((r) => ({
      period: r.period,
      contract: r.contract,
      due: r.due,
      daysLate: r.daysLate,
    })),
    columns: reportColumns,
  }
}

const fields = z.object({
  contractId: z.string().min(1, 'Choose the contract.'),
  period: z.string().trim().min(1, 'Enter the period, like 2027-Q1 or 2027-03.'),
  intent: z.enum(['upload', 'zero']),
  restatement: z.literal('on').optional(),
  confirmZero: z.string().trim().optional(),
})

type ActionResult = {
  errors?: { formError?: string; fieldErrors?: Record<string, string[]> }
  lineIssues?: LineIssue[]
  issueCount?: number
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'royalties.report')
  const form = await request.formData()
  const parsed = parseValues(stringFields(form), fields)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    const prepared = await prepareReport(scope, parsed.data.contractId, parsed.data.period)
    const file = form.get('file')
    if (parsed.data.intent === 'upload' && (!(file instanceof File) || file.size === 0))
      return invalid({ fieldErrors: { file: ['Choose the CSV file to upload.'] } })
    const zero = parsed.data.intent === 'zero'
    // One mis-click must not replace a quarter's report with nothing (user review of issue 30): a zero
    // report takes no file, and a zero restatement is confirmed by typing the period.
    if (zero && file instanceof File && file.size > 0)
      return invalid({
        fieldErrors: {
          file: [
            'You chose a file and pressed “Nothing shipped”. Upload the file with “Check and submit”, or ' +
              'clear the file to file a zero report.',
          ],
        },
      })
    if (zero && parsed.data.restatement === 'on' && parsed.data.confirmZero !== prepared.period.tag)
      return invalid({
        fieldErrors: {
          confirmZero: [
            `A zero restatement replaces the report on file for ${prepared.period.tag} and credits what it ` +
              `billed: type ${prepared.period.tag} to confirm.`,
          ],
        },
      })
    const received = await receiveRoyaltyReport(
      scope,
      prepared,
      zero ? { lines: [] } : { csv: (file as File).stream() as unknown as AsyncIterable<Uint8Array> },
      {
        source: zero ? 'zero' : 'csv',
        restatement: parsed.data.restatement === 'on',
        submittedById: scope.actor.userId,
      },
      await loadMappings(scope),
    )
    if (!received.ok)
      return data<ActionResult>(
        {
          lineIssues: received.issues,
          issueCount: received.issueCount,
          errors: {
            formError:
              `Nothing was posted: the file has ` +
              `${received.issueCount} problem${received.issueCount === 1 ? '' : 's'} to fix.`,
          },
        },
        { status: 422 },
      )
    const result = received.result
    return redirect(`/portal/${params.orgSlug}/reports/${result.reportId}${result.duplicate ? '?duplicate=1' : ''}`)
  })
}

export default function PortalReports({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>() as ActionResult | undefined
  const busy = useNavigation().state === 'submitting'
  const reportColumns: Columns<(typeof d.reports)[number]> = [
    {
      header: 'Period',
      className: 'nowrap',
      cell: (r) => <Link to={`/portal/${d.orgSlug}/reports/${r.id}`}>{r.period}</Link>,
    },
    { header: 'Contract', cell: (r) => r.contract },
    { header: 'Revision', cell: (r) => `${r.revision}${r.status === 'superseded' ? ' (superseded)' : ''}` },
    { header: 'Lines', numeric: true, cell: (r) => r.lines.toLocaleString('en-US') },
    { header: 'Units', numeric: true, cell: (r) => Number(r.units).toLocaleString('en-US') },
    { header: 'Charged', numeric: true, cell: (r) => r.invoiced },
  ]
  return (
    <>
      <PageHeader
        title="Royalty reports"
        subtitle={`${d.organization}: what you shipped and earned, and what it costs under your contract`}
      />
      {d.due.length > 0 && (
        <div className="alert alert-info" role="status">
          <strong>Reports to file</strong>
          <ul>
            {d.due.map((r) => (
              <li key={`${r.contract}${r.period}`}>
                {r.period} under {r.contract}:{' '}
                {r.daysLate > 0 ? `${r.daysLate} days late (due ${r.due})` : `due on ${r.due}`}
              </li>
            ))}
          </ul>
        </div>
      )}
      {d.canReport && (
        <Card title="Submit a report">
          {d.contracts.length === 0 ? (
            <EmptyState>You can report once a contract is signed.</EmptyState>
          ) : (
            <PostForm encType="multipart/form-data" errors={result?.errors}>
              {result?.lineIssues && (
                <div className="alert alert-error" role="alert">
                  <ul className="issues">
                    {result.lineIssues.map((i, k) => (
                      <li key={k}>
                        Line {i.line}, {i.field}: {i.message}
                      </li>
                    ))}
                  </ul>
                  {result.issueCount! > result.lineIssues.length && (
                    <p>…and {result.issueCount! - result.lineIssues.length} more.</p>
                  )}
                </div>
              )}
              <div className="row">
                <label>
                  Contract
                  <Select name="contractId">
                    {d.contracts.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.label}
                      </option>
                    ))}
                  </Select>
                </label>
                <label>
                  Period
                  <Input name="period" placeholder="2027-Q1 or 2027-03" />
                </label>
              </div>
              <label>
                CSV file
                <Input type="file" name="file" accept=".csv,text/csv" />
              </label>
              <p className="hint">
                <a href={`/portal/${d.orgSlug}/mappings`}>Map your own SKU and region names</a> once, and use them in
                every file. Columns: {d.columns.join(', ')}. One line per device model, class, price band and region;
                give the price band by name or the average selling price (asp). UTF-8.
              </p>
              <label className="check">
                <Input type="checkbox" name="restatement" /> This corrects an earlier report for the period (a
                restatement)
              </label>
              <label>
                To restate a period as nothing shipped, type the period to confirm
                <Input name="confirmZero" autoComplete="off" placeholder="2027-Q1" />
              </label>
              <div className="actions-row">
                <Button type="submit" name="intent" value="upload" disabled={busy}>
                  {busy ? 'Checking…' : 'Check and submit'}
                </Button>
                <Button type="submit" name="intent" value="zero" variant="secondary" disabled={busy}>
                  Nothing shipped: file a zero report
                </Button>
              </div>
            </PostForm>
          )}
        </Card>
      )}
      <Card title="Reports">
        <DataTable rows={d.reports} empty="No reports yet." columns={reportColumns} />
      </Card>
    </>
  )
}
