import { useEffect, useMemo, useRef, useState } from 'react'
import { useFetcher } from 'react-router'
import type { ContractTerms, PriceBand, TermIssue } from '#services/contracts/contract-terms.ts'
import { useRootData } from '../root.tsx'
import { fieldId } from './form.tsx'

export interface PreviewResult {
  issues: TermIssue[]
  exceptions: string[]
  preview: { lines: { label: string; amount: string; trace: string[] }[]; total: string; notes: string[] } | null
}

type Kind = 'mou' | 'paid_pilot' | 'production_license'
const currencies = ['USD', 'EUR', 'GBP', 'JPY', 'CNY', 'KRW', 'TWD', 'INR', 'CHF'] as const
const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)

/**
 * Edits a contract's terms as structured data. Every change is checked by the server (the same
 * validation that guards saving) and priced for a sample quarter, so the drafter sees problems and
 * money as they type. The terms travel to the action as JSON in a hidden field.
 */
export function TermsEditor({
  kind,
  initial,
  serverIssues,
  saveFailed,
}: {
  kind: Kind
  initial: ContractTerms
  serverIssues?: TermIssue[]
  /** The last save was refused: the side panel then never says the terms are fine on their own. */
  saveFailed?: boolean
}) {
  const [terms, setTerms] = useState<ContractTerms>(initial)
  const [sample, setSample] = useState<{ units: Record<string, string>; revenue: string }>({ units: {}, revenue: '' })
  const fetcher = useFetcher<PreviewResult>()
  const root = useRootData()
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  useEffect(() => {
    clearTimeout(timer.current)
    timer.current = setTimeout(() => {
      void fetcher.submit(
        { csrf: root?.csrf ?? '', kind, terms: JSON.stringify(terms), sample: JSON.stringify(sample) },
        { method: 'post', action: '/contracts/preview' },
      )
    }, 250)
    return () => clearTimeout(timer.current)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [terms, sample, kind])

  const issues = fetcher.data?.issues ?? serverIssues
  const issueAt = useMemo(() => {
    const m = new Map<string, string[]>()
    for (const i of issues ?? []) m.set(i.path, [...(m.get(i.path) ?? []), i.message])
    return m
  }, [issues])
  const err = (path: string) => {
    const msgs = issueAt.get(path)
    return msgs ? (
      <p className="field-error" id={`${fieldId(`terms.${path}`)}-error`}>
        {msgs.join(' ')}
      </p>
    ) : null
  }
  // An input with a problem is marked like every other field (issue 29), under the id the form's error
  // summary links to: the terms travel as one JSON field, so their paths are `terms.<path>`.
  const mark = (path: string) =>
    issueAt.has(path)
      ? {
          id: fieldId(`terms.${path}`),
          'aria-invalid': true as const,
          'aria-describedby': `${fieldId(`terms.${path}`)}-error`,
        }
      : {}
  const set = <K extends keyof ContractTerms>(key: K, value: ContractTerms[K] | undefined) =>
    setTerms((t) => {
      const next = { ...t }
      if (value === undefined) delete next[key]
      else next[key] = value
      return next
    })
  const bands = terms.perDeviceRoyalty?.bands ?? []
  const setBands = (b: PriceBand[]) =>
    set('perDeviceRoyalty', {
      ...terms.perDeviceRoyalty,
      tiering: terms.perDeviceRoyalty?.tiering ?? 'graduated',
      bands: b,
    })
  const setBand = (i: number, patch: Partial<PriceBand>) =>
    setBands(bands.map((b, j) => (j === i ? { ...b, ...patch } : b)))

  return (
    <div className="editor">
      <input type="hidden" name="terms" value={JSON.stringify(terms)} />
      <div className="editor-main">
        <fieldset className="card">
          <legend>General</legend>
          <div className="row">
            <label>
              Currency
              <select
                {...mark('currency')}
                value={terms.currency}
                onChange={(e) => set('currency', e.target.value as ContractTerms['currency'])}
              >
                {currencies.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            </label>
            <label>
              Partner tier
              <input {...mark('tier')} value={terms.tier} onChange={(e) => set('tier', e.target.value)} />
            </label>
          </div>
          {err('currency')}
          {err('tier')}
          <label>
            Territory (comma-separated)
            <input
              {...mark('territory')}
              defaultValue={terms.territory.join(', ')}
              onChange={(e) => set('territory', list(e.target.value))}
            />
          </label>
          {err('territory')}
          <label>
            Products
            <input
              {...mark('products')}
              defaultValue={terms.products.join(', ')}
              onChange={(e) => set('products', list(e.target.value))}
            />
          </label>
          {err('products')}
          <label>
            Device classes
            <input
              {...mark('deviceClasses')}
              defaultValue={terms.deviceClasses.join(', ')}
              onChange={(e) => set('deviceClasses', list(e.target.value))}
            />
          </label>
          {err('deviceClasses')}
          <div className="row">
            <label>
              Term starts
              <input
                type="date"
                {...mark('term.start')}
                value={terms.term.start}
                onChange={(e) => set('term', { ...terms.term, start: e.target.value })}
              />
            </label>
            <label>
              Term ends
              <input
                type="date"
                {...mark('term.end')}
                value={terms.term.end}
                onChange={(e) => set('term', { ...terms.term, end: e.target.value })}
              />
            </label>
          </div>
          {err('term.start')}
          {err('term.end')}
          <div className="row">
            <label>
              Renewal
              <select
                value={terms.term.renewal.kind}
                onChange={(e) => {
                  const k = e.target.value
                  set('term', {
                    ...terms.term,
                    renewal:
                      k === 'none'
                        ? { kind: 'none' }
                        : k === 'automatic'
                          ? { kind: 'automatic', periodMonths: 12, noticeDays: 90 }
                          : { kind: 'by_agreement', noticeDays: 90 },
                  })
                }}
              >
                <option value="none">None</option>
                <option value="automatic">Automatic</option>
                <option value="by_agreement">By agreement</option>
              </select>
            </label>
            {terms.term.renewal.kind === 'automatic' && (
              <label>
                Renews for (months)
                <input
                  type="number"
                  min={1}
                  value={terms.term.renewal.periodMonths}
                  onChange={(e) =>
                    set('term', {
                      ...terms.term,
                      renewal: {
                        ...(terms.term.renewal as { kind: 'automatic'; periodMonths: number; noticeDays: number }),
                        periodMonths: Number(e.target.value),
                      },
                    })
                  }
                />
              </label>
            )}
            {terms.term.renewal.kind !== 'none' && (
              <label>
                Notice (days)
                <input
                  type="number"
                  min={0}
                  value={terms.term.renewal.noticeDays}
                  onChange={(e) =>
                    set('term', {
                      ...terms.term,
                      renewal: {
                        ...terms.term.renewal,
                        noticeDays: Number(e.target.value),
                      } as ContractTerms['term']['renewal'],
                    })
                  }
                />
              </label>
            )}
          </div>
        </fieldset>

        {kind !== 'mou' && (
          <fieldset className="card">
            <legend>Pricing</legend>
            {kind === 'paid_pilot' ? (
              <Component
                label="Pilot fee"
                on={!!terms.pilotFee}
                toggle={(on) => set('pilotFee', on ? { amount: '50000' } : undefined)}
              >
                <label>
                  Amount ({terms.currency})
                  <input
                    {...mark('pilotFee.amount')}
                    value={terms.pilotFee?.amount ?? ''}
                    onChange={(e) => set('pilotFee', { amount: e.target.value })}
                  />
                </label>
                {err('pilotFee.amount')}
              </Component>
            ) : (
              <>
                <Component
                  label="Per-device royalty"
                  on={!!terms.perDeviceRoyalty}
                  toggle={(on) =>
                    set(
                      'perDeviceRoyalty',
                      on
                        ? {
                            tiering: 'graduated',
                            bands: [
                              {
                                name: 'All devices',
                                minAsp: '0',
                                maxAsp: null,
                                tiers: [{ fromUnits: 0, toUnits: null, rate: '0.50' }],
                              },
                            ],
                          }
                        : undefined,
                    )
                  }
                >
                  <label>
                    Tiering
                    <select
                      value={terms.perDeviceRoyalty?.tiering}
                      onChange={(e) =>
                        set('perDeviceRoyalty', {
                          tiering: e.target.value as 'graduated' | 'volume',
                          retroactive: e.target.value === 'volume' ? terms.perDeviceRoyalty?.retroactive : undefined,
                          bands,
                        })
                      }
                    >
                      <option value="graduated">Graduated: each band of units at its own rate</option>
                      <option value="volume">Volume: all units at the rate of the tier reached</option>
                    </select>
                  </label>
                  {terms.perDeviceRoyalty?.tiering === 'volume' && (
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        checked={terms.perDeviceRoyalty.retroactive ?? false}
                        onChange={(e) =>
                          set('perDeviceRoyalty', {
                            ...terms.perDeviceRoyalty!,
                            retroactive: e.target.checked || undefined,
                          })
                        }
                      />{' '}
                      Retroactive: crossing a tier re-prices the earlier periods of the contract year
                    </label>
                  )}
                  {bands.map((band, i) => (
                    <div key={i} className="band">
                      <div className="row">
                        <label>
                          Band name
                          <input
                            {...mark(`perDeviceRoyalty.bands.${i}.name`)}
                            value={band.name}
                            onChange={(e) => setBand(i, { name: e.target.value })}
                          />
                        </label>
                        <label>
                          ASP from
                          <input
                            {...mark(`perDeviceRoyalty.bands.${i}.minAsp`)}
                            value={band.minAsp}
                            onChange={(e) => setBand(i, { minAsp: e.target.value })}
                          />
                        </label>
                        <label>
                          ASP below (blank: no limit)
                          <input
                            {...mark(`perDeviceRoyalty.bands.${i}.maxAsp`)}
                            value={band.maxAsp ?? ''}
                            onChange={(e) =>
                              setBand(i, { maxAsp: e.target.value.trim() === '' ? null : e.target.value })
                            }
                          />
                        </label>
                        <button
                          type="button"
                          className="btn btn-secondary btn-small"
                          onClick={() => setBands(bands.filter((_, j) => j !== i))}
                          aria-label={`Remove band ${band.name}`}
                        >
                          Remove band
                        </button>
                      </div>
                      {err(`perDeviceRoyalty.bands.${i}.name`)}
                      {err(`perDeviceRoyalty.bands.${i}.minAsp`)}
                      {err(`perDeviceRoyalty.bands.${i}.maxAsp`)}
                      <table className="tiers">
                        <thead>
                          <tr>
                            <th scope="col">From unit</th>
                            <th scope="col">Below unit (blank: no limit)</th>
                            <th scope="col">Rate per device</th>
                            <th scope="col">
                              <span className="sr-only">Actions</span>
                            </th>
                          </tr>
                        </thead>
                        <tbody>
                          {band.tiers.map((tier, j) => {
                            const setTier = (patch: Partial<typeof tier>) =>
                              setBand(i, { tiers: band.tiers.map((x, k) => (k === j ? { ...x, ...patch } : x)) })
                            return (
                              <tr key={j}>
                                <td>
                                  <input
                                    aria-label={`Band ${band.name} tier ${j + 1} from unit`}
                                    inputMode="numeric"
                                    {...mark(`perDeviceRoyalty.bands.${i}.tiers.${j}.fromUnits`)}
                                    value={tier.fromUnits}
                                    onChange={(e) => setTier({ fromUnits: Number(e.target.value) })}
                                  />
                                  {err(`perDeviceRoyalty.bands.${i}.tiers.${j}.fromUnits`)}
                                </td>
                                <td>
                                  <input
                                    aria-label={`Band ${band.name} tier ${j + 1} below unit`}
                                    inputMode="numeric"
                                    {...mark(`perDeviceRoyalty.bands.${i}.tiers.${j}.toUnits`)}
                                    value={tier.toUnits ?? ''}
                                    onChange={(e) =>
                                      setTier({ toUnits: e.target.value.trim() === '' ? null : Number(e.target.value) })
                                    }
                                  />
                                  {err(`perDeviceRoyalty.bands.${i}.tiers.${j}.toUnits`)}
                                </td>
                                <td>
                                  <input
                                    aria-label={`Band ${band.name} tier ${j + 1} rate`}
                                    {...mark(`perDeviceRoyalty.bands.${i}.tiers.${j}.rate`)}
                                    value={tier.rate}
                                    onChange={(e) => setTier({ rate: e.target.value })}
                                  />
                                  {err(`perDeviceRoyalty.bands.${i}.tiers.${j}.rate`)}
                                </td>
                                <td>
                                  <button
                                    type="button"
                                    className="btn btn-secondary btn-small"
                                    onClick={() => setBand(i, { tiers: band.tiers.filter((_, k) => k !== j) })}
                                  >
                                    Remove
                                  </button>
                                </td>
                              </tr>
                            )
                          })}
                        </tbody>
                      </table>
                      <button
                        type="button"
                        className="btn btn-secondary btn-small"
                        onClick={() => {
                          const last = band.tiers.at(-1)
                          const from = last?.toUnits ?? (last ? last.fromUnits + 100_000 : 0)
                          setBand(i, {
                            tiers: [
                              ...band.tiers.map((t, k) =>
                                k === band.tiers.length - 1 && t.toUnits === null ? { ...t, toUnits: from } : t,
                              ),
                              { fromUnits: from, toUnits: null, rate: last?.rate ?? '0.50' },
                            ],
                          })
                        }}
                      >
                        Add tier
                      </button>
                    </div>
                  ))}
                  {err('perDeviceRoyalty.bands')}
                  <button
                    type="button"
                    className="btn btn-secondary btn-small"
                    onClick={() =>
                      setBands([
                        ...bands,
                        {
                          name: `Band ${bands.length + 1}`,
                          minAsp: bands.at(-1)?.maxAsp ?? '0',
                          maxAsp: null,
                          tiers: [{ fromUnits: 0, toUnits: null, rate: '0.50' }],
                        },
                      ])
                    }
                  >
                    Add price band
                  </button>
                </Component>
                {err('perDeviceRoyalty')}
                <Component
                  label="Base license fee"
                  on={!!terms.baseFee}
                  toggle={(on) => set('baseFee', on ? { amount: '120000', period: 'year' } : undefined)}
                >
                  <div className="row">
                    <label>
                      Amount ({terms.currency})
                      <input
                        {...mark('baseFee.amount')}
                        value={terms.baseFee?.amount ?? ''}
                        onChange={(e) =>
                          set('baseFee', { period: terms.baseFee?.period ?? 'year', amount: e.target.value })
                        }
                      />
                    </label>
                    <label>
                      Per
                      <select
                        value={terms.baseFee?.period}
                        onChange={(e) =>
                          set('baseFee', {
                            amount: terms.baseFee?.amount ?? '0',
                            period: e.target.value as 'month' | 'quarter' | 'year',
                          })
                        }
                      >
                        <option value="month">month</option>
                        <option value="quarter">quarter</option>
                        <option value="year">year</option>
                      </select>
                    </label>
                  </div>
                  {err('baseFee.amount')}
                </Component>
                <Component
                  label="Revenue share"
                  on={!!terms.revenueShare}
                  toggle={(on) => set('revenueShare', on ? { percent: '7.50' } : undefined)}
                >
                  <label>
                    Percent of AI-related revenue
                    <input
                      {...mark('revenueShare.percent')}
                      value={terms.revenueShare?.percent ?? ''}
                      onChange={(e) => set('revenueShare', { percent: e.target.value })}
                    />
                  </label>
                  {err('revenueShare.percent')}
                </Component>
                <Component
                  label="Minimum guarantee"
                  on={!!terms.minimumGuarantee}
                  toggle={(on) =>
                    set(
                      'minimumGuarantee',
                      on ? { amount: '250000', period: 'quarter', carryForwardExcess: false } : undefined,
                    )
                  }
                >
                  <div className="row">
                    <label>
                      Amount ({terms.currency})
                      <input
                        {...mark('minimumGuarantee.amount')}
                        value={terms.minimumGuarantee?.amount ?? ''}
                        onChange={(e) =>
                          set('minimumGuarantee', { ...terms.minimumGuarantee!, amount: e.target.value })
                        }
                      />
                    </label>
                    <label>
                      Per
                      <select
                        value={terms.minimumGuarantee?.period}
                        onChange={(e) =>
                          set('minimumGuarantee', {
                            ...terms.minimumGuarantee!,
                            period: e.target.value as 'quarter' | 'year',
                          })
                        }
                      >
                        <option value="quarter">quarter</option>
                        <option value="year">year</option>
                      </select>
                    </label>
                    <label className="check">
                      <input
                        type="checkbox"
                        checked={terms.minimumGuarantee?.carryForwardExcess ?? false}
                        onChange={(e) =>
                          set('minimumGuarantee', { ...terms.minimumGuarantee!, carryForwardExcess: e.target.checked })
                        }
                      />{' '}
                      Excess carries forward
                    </label>
                  </div>
                  {err('minimumGuarantee')}
                  {err('minimumGuarantee.amount')}
                </Component>
                <Component
                  label="Prepaid advance"
                  on={!!terms.prepaidAdvance}
                  toggle={(on) => set('prepaidAdvance', on ? { amount: '100000' } : undefined)}
                >
                  <label>
                    Amount ({terms.currency}), recouped from royalties first
                    <input
                      {...mark('prepaidAdvance.amount')}
                      value={terms.prepaidAdvance?.amount ?? ''}
                      onChange={(e) => set('prepaidAdvance', { amount: e.target.value })}
                    />
                  </label>
                  {err('prepaidAdvance.amount')}
                </Component>
                <Component
                  label="Royalty cap"
                  on={!!terms.cap}
                  toggle={(on) => set('cap', on ? { amount: '5000000' } : undefined)}
                >
                  <label>
                    At most, per contract year ({terms.currency})
                    <input
                      {...mark('cap.amount')}
                      value={terms.cap?.amount ?? ''}
                      onChange={(e) => set('cap', { amount: e.target.value })}
                    />
                  </label>
                  {err('cap')}
                  {err('cap.amount')}
                </Component>
              </>
            )}
            {err('pilotFee')}
          </fieldset>
        )}
        {[...issueAt.keys()]
          .filter((p) => p === '' || p === 'baseFee' || p === 'revenueShare' || p === 'prepaidAdvance')
          .map((p) => (
            <div key={p}>{err(p)}</div>
          ))}
      </div>

      <aside className="editor-side" aria-live="polite">
        <section className="card">
          <h2>Check</h2>
          {issues?.length ? (
            <div className="alert alert-error">
              <strong>
                {issues.length} problem{issues.length === 1 ? '' : 's'} to fix
              </strong>
              <ul>
                {issues.map((i, k) => (
                  <li key={k}>{i.message}</li>
                ))}
              </ul>
            </div>
          ) : fetcher.data && saveFailed ? (
            <p className="hint">No problems in the terms themselves; the draft is not saved yet.</p>
          ) : fetcher.data ? (
            <p className="ok">The terms are valid.</p>
          ) : (
            <p className="hint">Checking…</p>
          )}
          {fetcher.data?.exceptions.length ? (
            <div className="alert alert-info">
              <strong>Outside the standard price book: finance must approve</strong>
              <ul>
                {fetcher.data.exceptions.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            </div>
          ) : null}
        </section>
        {kind !== 'mou' && (
          <section className="card">
            <h2>A sample quarter</h2>
            {bands.map((b) => (
              <label key={b.name}>
                Units shipped, “{b.name}”
                <input
                  inputMode="numeric"
                  value={sample.units[b.name] ?? ''}
                  placeholder="0"
                  onChange={(e) => setSample((s) => ({ ...s, units: { ...s.units, [b.name]: e.target.value } }))}
                />
              </label>
            ))}
            {terms.revenueShare && (
              <label>
                AI-related revenue ({terms.currency})
                <input
                  value={sample.revenue}
                  placeholder="0"
                  onChange={(e) => setSample((s) => ({ ...s, revenue: e.target.value }))}
                />
              </label>
            )}
            {fetcher.data?.preview && (
              <table className="preview">
                <tbody>
                  {fetcher.data.preview.lines.map((l, k) => (
                    <tr key={k}>
                      <td>
                        {l.label}
                        <ul className="trace">
                          {l.trace.map((t, m) => (
                            <li key={m}>{t}</li>
                          ))}
                        </ul>
                      </td>
                      <td className="num">{l.amount}</td>
                    </tr>
                  ))}
                  <tr className="total">
                    <th scope="row">Invoiced for the quarter</th>
                    <td className="num">{fetcher.data.preview.total}</td>
                  </tr>
                </tbody>
              </table>
            )}
            {fetcher.data?.preview?.notes.map((n) => (
              <p key={n} className="hint">
                {n}
              </p>
            ))}
          </section>
        )}
      </aside>
    </div>
  )
}

function Component({
  label,
  on,
  toggle,
  children,
}: {
  label: string
  on: boolean
  toggle: (on: boolean) => void
  children: React.ReactNode
}) {
  return (
    <div className="component">
      <label className="check">
        <input type="checkbox" checked={on} onChange={(e) => toggle(e.target.checked)} /> <strong>{label}</strong>
      </label>
      {on && <div className="component-body">{children}</div>}
    </div>
  )
}
