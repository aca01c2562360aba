import { Form, Link, useActionData, useSearchParams } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/program'
import { Pager } from '#app/components/pager.tsx'
import { DataTable, withHint } from '#app/components/data-table.tsx'
import { HiddenFields, RowAction, RowActions, type HiddenValues } from '#app/components/row-actions.tsx'
import { DecisionButtons } from '#app/components/decision-form.tsx'
import { Button, Card, EmptyState, Field, FormError, Notice, PageHeader, PostForm, Stat } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { decideGrant, decideGrantSchema } from '#services/credits/decide-grant.ts'
import { pauseLot, pauseLotSchema } from '#services/credits/pause-lot.ts'
import { programOverview } from '#services/credits/program-overview.ts'
import { pageOf, pageParam, searchParam } from '#services/platform/paging.ts'
import { CATEGORIES, categoryLabel, DRAWDOWN_ORDER, usd } from '#services/credits/program-terms.ts'
import { proposeGrant, proposeGrantSchema } from '#services/credits/propose-grant.ts'
import {
  decideRevocation,
  decideRevocationSchema,
  proposeRevocation,
  proposeRevocationSchema,
} from '#services/credits/revoke-grant.ts'
import { budgetSchema, setProgramBudget } from '#services/credits/set-program-budget.ts'
import { snapshotSchema, takeSnapshot } from '#services/credits/take-snapshot.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Contributor rewards program · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'rewards.view_program')
  const search = new URL(request.url).searchParams
  const y = Number(search.get('year'))
  const o = await programOverview(actor, Number.isInteger(y) && y >= 2023 && y <= 2100 ? y : undefined, {
    q: searchParam(search.get('q')),
    page: pageParam.parse(search.get('page')),
  })
  // The year's grants, 20 a page (rows carry forms): the demo's program page was 10,641 px tall (issue 29).
  const { rows: grants, ...grantsPage } = pageOf(o.grants, {
    page: pageParam.parse(search.get('grantsPage')),
    pageSize: 20,
  })
  return {
    ...o,
    categories: CATEGORIES.map((c) => ({ value: c, label: categoryLabel[c] })),
    drawdownOrder: DRAWDOWN_ORDER,
    snapshot: o.snapshot && { ...o.snapshot, takenDay: o.snapshot.takenAt.toISOString().slice(0, 10) },
    can: { manage: canAsStaff(actor, 'rewards.manage_program'), approve: canAsStaff(actor, 'rewards.approve') },
    program: o.program && {
      budget: usd(o.program.budgetMinor),
      approved: usd(o.program.approvedMinor),
      left: usd(o.program.leftMinor),
      usedShare:
        o.program.budgetMinor > 0n
          ? // Tenths of a percent, rounded half up (BigInt division truncates: 79.17% read 79.1%).
            Number((o.program.approvedMinor * 1000n + o.program.budgetMinor / 2n) / o.program.budgetMinor) / 10
          : 0,
    },
    tiers: o.tiers.map((t) => ({ tier: t.tier, upToRank: t.upToRank, amount: usd(t.amountMinor) })),
    grantsPage,
    grants: grants.map(({ amountMinor, spentMinor, ...g }) => ({
      ...g,
      amount: usd(amountMinor),
      spent: usd(spentMinor),
    })),
    spent: usd(o.spentMinor),
    breakage: usd(o.breakageMinor),
    revoked: usd(o.revokedMinor),
    spend: spendTable(o.spendByMonth),
  }
}

/** Spend as one row a month with a column a category and the month's total (it was a row per pair). */
function spendTable(spend: { month: string; category: string; coveredMinor: bigint }[]) {
  const categories = [...new Set(spend.map((r) => r.category))].sort()
  const months = [...new Set(spend.map((r) => r.month))].sort()
  const sum = (rows: typeof spend) => rows.reduce((s, r) => s + r.coveredMinor, 0n)
  return {
    categories,
    rows: months.map((month) => {
      const of = spend.filter((r) => r.month === month)
      const cells = categories.map((c) => sum(of.filter((r) => r.category === c)))
      return { month, cells: cells.map((m) => (m ? usd(m) : '')), total: usd(sum(of)) }
    }),
  }
}

const intents = z.discriminatedUnion('intent', [
  budgetSchema.extend({ intent: z.literal('budget') }),
  snapshotSchema.extend({ intent: z.literal('snapshot') }),
  proposeGrantSchema.extend({ intent: z.literal('propose') }),
  decideGrantSchema.extend({ intent: z.literal('decide') }),
  proposeRevocationSchema.extend({ intent: z.literal('revoke') }),
  decideRevocationSchema.extend({ intent: z.literal('decide-revocation') }),
  pauseLotSchema.extend({ intent: z.literal('pause') }),
])

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'rewards.view_program')
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  const f = parsed.data
  return attempt(async () => {
    switch (f.intent) {
      case 'budget':
        await setProgramBudget(actor, f)
        return { done: `The ${f.year} budget is set.` }
      case 'snapshot': {
        const s = await takeSnapshot(actor, f)
        return {
          done: `The ${s.year} snapshot is taken: ${s.contributors} contributors in ${s.repositories} repositories.`,
        }
      }
      case 'propose':
        await proposeGrant(actor, f)
        return { done: `Grant for ${f.login} proposed: another person approves it.` }
      case 'decide': {
        const r = await decideGrant(actor, f)
        return { done: r.status === 'approved' ? 'Approved: the contributor is invited to accept it.' : 'Rejected.' }
      }
      case 'revoke':
        await proposeRevocation(actor, f)
        return { done: 'Revocation proposed: another person decides it.' }
      case 'decide-revocation': {
        const r = await decideRevocation(actor, f)
        return {
          done: f.decision === 'approve' ? `Revoked: ${usd(r.revokedMinor)} left the lot.` : 'Revocation withdrawn.',
        }
      }
      case 'pause':
        await pauseLot(actor, f)
        return { done: f.paused === 'yes' ? 'Paused: the lot pays for nothing until resumed.' : 'Resumed.' }
    }
  })
}

const Hidden = (props: HiddenValues) => <HiddenFields values={props} />

/** Proposals that wait for a second person: whoever proposed one sees that someone else decides. */
function SecondPerson(props: {
  title: string
  intent: string
  labels: { approve: string; reject: string }
  canDecide: boolean
  items: { id: string; mine: boolean; what: string; detail: string }[]
}) {
  if (props.items.length === 0) return null
  return (
    <Card title={props.title}>
      <DataTable
        rows={props.items}
        headless
        columns={[
          { header: 'Proposal', cell: (g) => withHint(<strong>{g.what}</strong>, g.detail) },
          {
            header: 'Decision',
            cell: (g) =>
              g.mine ? (
                <span className="hint">You proposed this; another person decides.</span>
              ) : props.canDecide ? (
                <DecisionButtons
                  fields={{ intent: props.intent, grantId: g.id }}
                  choices={[
                    { value: 'approve', label: props.labels.approve },
                    { value: 'reject', label: props.labels.reject },
                  ]}
                />
              ) : null,
          },
        ]}
      />
    </Card>
  )
}

type Grant = Route.ComponentProps['loaderData']['grants'][number]
type Ranked = Route.ComponentProps['loaderData']['ranking'][number]

const grantState = (g: Grant) =>
  g.revokedAt
    ? 'revoked'
    : g.status !== 'approved'
      ? g.status
      : !g.accepted
        ? 'invited'
        : g.paused
          ? 'paused'
          : 'active'

/** A contributor's login, and on opening it how the score was counted. */
function RankingLines({ row: r }: { row: Ranked }) {
  return (
    <details>
      <summary>
        {r.login}
        {r.excluded && <span className="hint"> excluded: {r.excluded}</span>}
      </summary>
      <ul className="hint">
        {r.lines.map((l) => (
          <li key={l.label}>
            {l.count} {l.label} × {l.points} = {l.subtotal}
          </li>
        ))}
        {r.mergedLogins.length > 0 && <li>Same person as {r.mergedLogins.join(', ')} (same commit email)</li>}
      </ul>
    </details>
  )
}

type Data = Route.ComponentProps['loaderData']
type SpendRow = Data['spend']['rows'][number]

/** The year's snapshot ranked by score, searchable by login; a tier without a grant can be proposed one. */
function Ranking({ d }: { d: Data }) {
  const [params] = useSearchParams()
  return (
    <Card title="Ranking">
      {!d.snapshot ? (
        <EmptyState>No snapshot of {d.year} yet.</EmptyState>
      ) : (
        <>
          <p className="hint">
            Taken {d.snapshot.takenDay} from {d.snapshot.source}: {d.snapshot.repositories} repositories,{' '}
            {d.snapshot.counted} accounts. Score: 10 points per merged pull request, 3 per review of another’s pull
            request, 1 per issue triaged. Tiers:{' '}
            {d.tiers.map((t) => `${t.tier} to rank ${t.upToRank} (${t.amount})`).join(', ')}.
          </p>
          <Form method="get" className="filters" role="search">
            <input type="hidden" name="year" value={String(d.year)} />
            <div className="field">
              <label htmlFor="ranking-search">Login contains</label>
              <input id="ranking-search" name="q" type="search" defaultValue={params.get('q') ?? ''} />
            </div>
            <Button variant="secondary">Search</Button>
          </Form>
          <Pager {...d.rankingPage} noun="contributors" />
          <DataTable
            rows={d.ranking}
            rowKey={(r) => r.login}
            columns={[
              { header: 'Rank', cell: (r) => r.rank ?? '—' },
              { header: 'Contributor', cell: (r) => <RankingLines row={r} /> },
              { header: 'Score', cell: (r) => r.score },
              { header: 'Tier', cell: (r) => r.tier ?? '' },
              {
                header: 'Grant',
                cell: (r) =>
                  r.grant ? (
                    r.grant.status
                  ) : r.tier && d.can.manage && d.program ? (
                    <PostForm className="row">
                      <Hidden intent="propose" year={String(d.year)} login={r.login} />
                      <select name="category" aria-label={`Restrict ${r.login}'s credits`} defaultValue="">
                        <option value="">Any service</option>
                        {d.categories.map((c) => (
                          <option key={c.value} value={c.value}>
                            {c.label} only
                          </option>
                        ))}
                      </select>
                      <Button variant="secondary">Propose</Button>
                    </PostForm>
                  ) : null,
              },
            ]}
          />
          {d.rankingPage.pageCount > 1 && <Pager {...d.rankingPage} noun="contributors" />}
        </>
      )}
    </Card>
  )
}

/** Every grant of the year: what it is worth, what is spent, its state, and pausing or revoking it. */
function Grants({ d }: { d: Data }) {
  return (
    <Card title="Grants">
      {d.grantsPage.total > 0 && <Pager {...d.grantsPage} param="grantsPage" noun="grants" />}
      <DataTable
        rows={d.grants}
        empty={`No grants for ${d.year} yet.`}
        columns={[
          {
            header: 'Contributor',
            cell: (g) => withHint(<Link to={`/rewards/${g.account}`}>{g.login}</Link>, `${g.tier} · ${g.category}`),
          },
          { header: 'Amount', cell: (g) => g.amount },
          { header: 'Spent', cell: (g) => g.spent },
          { header: 'Status', cell: grantState },
          { header: 'Last day', cell: (g) => g.lastDay ?? '' },
          {
            header: '',
            cell: (g) =>
              d.can.manage &&
              g.status === 'approved' &&
              !g.revokedAt && (
                <RowActions>
                  <RowAction
                    fields={{ intent: 'pause', grantId: g.id, paused: g.paused ? 'no' : 'yes' }}
                    label={g.paused ? 'Resume' : 'Pause'}
                  />
                  {!g.revocation && (
                    // Behind a disclosure: a reason field in every row made each grant three lines tall.
                    <details>
                      <summary>Revoke…</summary>
                      <RowAction
                        fields={{ intent: 'revoke', grantId: g.id }}
                        variant="danger"
                        label="Propose revocation"
                      >
                        <input name="reason" placeholder="Why revoke" aria-label={`Why revoke ${g.login}'s grant`} />
                      </RowAction>
                    </details>
                  )}
                </RowActions>
              ),
          },
        ]}
      />
    </Card>
  )
}

export default function Program({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const waiting = d.grants.filter((g) => g.status === 'proposed')
  const revocations = d.grants.filter((g) => g.revocation)
  return (
    <>
      <PageHeader
        title={`Contributor rewards ${d.year}`}
        subtitle={
          "The year's top 50 open-source contributors get GGML Cloud credits. " +
          'Two people decide every grant and revocation.'
        }
        actions={
          <Form method="get" className="row">
            <select name="year" defaultValue={String(d.year)} aria-label="Program year">
              {d.years.map((y) => (
                <option key={y}>{y}</option>
              ))}
            </select>
            <Button variant="secondary">Show</Button>
          </Form>
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={errors} />
      <div className="grid">
        <Stat
          label="Budget"
          value={d.program?.budget ?? 'Not set'}
          hint={
            d.program ? `${d.program.approved} approved (${d.program.usedShare}%), ${d.program.left} left` : undefined
          }
        />
        <Stat label="Spent on GGML Cloud" value={d.spent} />
        <Stat label="Breakage" value={d.breakage} hint="Credits that expired unspent" />
        <Stat label="Revoked" value={d.revoked} />
      </div>
      {d.can.manage && (
        <Card title="Budget and snapshot">
          <div className="row">
            <PostForm className="row">
              <Hidden intent="budget" year={String(d.year)} />
              <Field label={`${d.year} budget (USD)`} name="budget" errors={errors} />
              <Button variant="secondary">Set budget</Button>
            </PostForm>
            {!d.snapshot && (
              <PostForm className="row">
                <Hidden intent="snapshot" />
                <Field label="Snapshot year" name="year" defaultValue={String(d.year)} errors={errors} />
                <Button>Take the snapshot</Button>
              </PostForm>
            )}
          </div>
        </Card>
      )}
      <SecondPerson
        title="Grants waiting for a second person"
        intent="decide"
        labels={{ approve: 'Approve', reject: 'Reject' }}
        canDecide={d.can.approve}
        items={waiting.map((g) => ({
          id: g.id,
          mine: g.mine,
          what: `${g.login}: ${g.amount} (${g.tier}, ${g.category})`,
          detail: `${g.reason} · proposed by ${g.proposedBy}`,
        }))}
      />
      <SecondPerson
        title="Revocations waiting for a second person"
        intent="decide-revocation"
        labels={{ approve: 'Revoke', reject: 'Keep the grant' }}
        canDecide={d.can.approve}
        items={revocations.map((g) => ({
          id: g.id,
          mine: g.revocation!.mine,
          what: `${g.login}: ${g.revocation!.reason}`,
          detail: `proposed by ${g.revocation!.by}`,
        }))}
      />
      <Ranking d={d} />
      <Grants d={d} />
      <Card title="Spend by category">
        <DataTable
          rows={d.spend.rows}
          rowKey={(r) => r.month}
          empty="Nothing spent yet."
          columns={[
            { header: 'Month', cell: (r) => r.month },
            ...d.spend.categories.map((c, i) => ({ header: c, numeric: true, cell: (r: SpendRow) => r.cells[i] })),
            { header: 'Total', numeric: true, cell: (r) => <strong>{r.total}</strong> },
          ]}
        />
        <p className="hint">{d.drawdownOrder}</p>
      </Card>
    </>
  )
}
