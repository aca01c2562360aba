import { Link } from 'react-router'
import type { Route } from './+types/pipeline'
import { StatusBadge } from '#app/components/contract-view.tsx'
import { Card, PageHeader } from '#app/components/ui.tsx'
import { requireStaff } from '#app/lib/session.server.ts'
import { canAsStaff, canOnBehalf } from '#services/identity/actor.ts'
import { approvalQueue, contractPipeline, pipelineStages } from '#services/contracts/contract-queries.ts'
import { formatMoney, money } from '#services/kernel/money/money.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Contracts · GGML Platform' }]

const stageLabel: Record<string, string> = {
  prospect: 'No agreement yet',
  mou: 'MoU',
  paid_pilot: 'Paid pilot',
  production_license: 'Production',
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'contracts.view')
  const rows = await contractPipeline(actor)
  const waiting = canAsStaff(actor, 'contracts.approve') ? (await approvalQueue(actor)).length : null
  // Column totals per currency, so nothing is summed across currencies.
  const totals = pipelineStages.map((stage) => {
    const byCurrency = new Map<string, { base: bigint; guarantee: bigint; pilot: bigint }>()
    for (const r of rows.filter((x) => x.stage === stage && x.currency)) {
      const t = byCurrency.get(r.currency!) ?? { base: 0n, guarantee: 0n, pilot: 0n }
      t.base += BigInt(r.annualBaseFeeMinor)
      t.guarantee += BigInt(r.annualGuaranteeMinor)
      t.pilot += BigInt(r.pilotFeeMinor)
      byCurrency.set(r.currency!, t)
    }
    return {
      stage,
      label: stageLabel[stage]!,
      partners: rows.filter((r) => r.stage === stage),
      totals: [...byCurrency].map(([cur, t]) => ({
        currency: cur,
        base: formatMoney(money(t.base, cur as 'USD')),
        guarantee: formatMoney(money(t.guarantee, cur as 'USD')),
        pilot: formatMoney(money(t.pilot, cur as 'USD')),
      })),
    }
  })
  return {
    columns: totals,
    waiting,
    canManage: canOnBehalf(actor, 'contracts.draft'),
  }
}

export default function ContractsPipeline({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <PageHeader
        title="Partner pipeline"
        subtitle="Every OEM partner from MoU to pilot to production, with what its agreement is worth a year."
        actions={
          <>
            {d.waiting !== null && (
              <Link className="btn btn-secondary" to="/contracts/approvals">
                Approvals ({d.waiting})
              </Link>
            )}{' '}
            {d.canManage && (
              <Link className="btn btn-primary" to="/contracts/new">
                New contract
              </Link>
            )}
          </>
        }
      />
      <div className="board">
        {d.columns.map((col) => (
          <section key={col.stage} className="board-column" aria-labelledby={`col-${col.stage}`}>
            <h2 id={`col-${col.stage}`}>
              {col.label} <span className="hint">({col.partners.length})</span>
            </h2>
            {col.stage !== 'mou' &&
              col.stage !== 'prospect' &&
              col.totals.map((t) => (
                <p key={t.currency} className="hint">
                  {col.stage === 'paid_pilot'
                    ? `Pilot fees ${t.pilot}`
                    : `Base fees ${t.base}/yr · guarantees ${t.guarantee}/yr`}
                </p>
              ))}
            {col.partners.map((p) => (
              <article key={p.organization.id} className="deal">
                <h3>
                  {p.contract ? (
                    <Link to={`/contracts/${p.contract.id}`}>{p.organization.name}</Link>
                  ) : (
                    <Link to={`/portal/${p.organization.slug}`}>{p.organization.name}</Link>
                  )}
                </h3>
                {p.contract && (
                  <p className="hint">
                    {p.contract.number} · <StatusBadge status={p.contract.status} />
                  </p>
                )}
                {p.annualBaseFee && <p>Base fee {p.annualBaseFee}/yr</p>}
                {p.annualGuarantee && <p>Guarantee {p.annualGuarantee}/yr</p>}
                {p.pilotFee && <p>Pilot fee {p.pilotFee}</p>}
              </article>
            ))}
          </section>
        ))}
      </div>
      <Card title="How to read this">
        <p className="hint">
          Each partner sits in the column of its most advanced agreement that is not terminated or expired. Values are
          annualised from the terms in force (or, before signature, the newest draft).
        </p>
      </Card>
    </>
  )
}
