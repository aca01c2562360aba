import { formatMoney, formatRateMicros, microsToMinor, money, minorToMicros } from '../money/money.ts'
import { divRoundHalfEven } from '../money/decimal.ts'
import { minorDigits } from '../money/currency.ts'
import { amountOf, percentBpsOf, rateMicrosOf, type ContractTerms, type PriceBand } from './contract-terms.ts'

/**
 * What one reporting period costs under one version of the terms: exact (integer minor units,
 * half-even rounding once per line) and explained (every line carries the arithmetic behind it).
 * Order, as contracts state it: royalties (per device, revenue share) → cap → advance recoupment →
 * minimum-guarantee shortfall at the end of a guarantee period; base and pilot fees stand apart.
 */

export interface PeriodUsage {
  /** Units shipped in the period per price band, by band name. */
  unitsByBand: Record<string, number>
  /** AI-related revenue in the period, a decimal string in the contract currency. */
  revenue?: string
  /** Months the period covers (3 for a quarter), for base fees. */
  months: number
}

export interface RatingContext {
  /** Units per band already shipped earlier in the same contract year (tiers count per year). */
  unitsEarlierInYear?: Record<string, number>
  /** Royalties already earned this contract year, against the cap. */
  royaltiesEarlierInYearMinor?: bigint
  /** Advance not yet recouped; defaults to the whole advance. */
  advanceRemainingMinor?: bigint
  /** Royalties earned earlier in the current guarantee period. */
  earnedEarlierInGuaranteePeriodMinor?: bigint
  /** Excess carried forward from earlier guarantee periods (when the contract allows it). */
  carriedForwardMinor?: bigint
  /** Whether this period closes a guarantee period, so a shortfall is charged now. */
  closesGuaranteePeriod?: boolean
  /** Charge the pilot fee with this period (a pilot's first invoice). */
  includePilotFee?: boolean
}

export type ChargeKind =
  | 'royalty'
  | 'revenue_share'
  | 'cap_reduction'
  | 'advance_recoupment'
  | 'base_fee'
  | 'minimum_guarantee_shortfall'
  | 'pilot_fee'

export interface ChargeLine {
  kind: ChargeKind
  label: string
  /** Signed: reductions (cap, recoupment) are negative. */
  amountMinor: bigint
  trace: string[]
}

export interface PeriodCharges {
  currency: ContractTerms['currency']
  lines: ChargeLine[]
  /** Royalties earned after the cap, before recoupment: what counts towards the guarantee. */
  earnedRoyaltiesMinor: bigint
  recoupedMinor: bigint
  advanceRemainingAfterMinor: bigint
  invoiceTotalMinor: bigint
  notes: string[]
}

const n = (x: number | bigint) => BigInt(x).toLocaleString('en-US')

export function computePeriodCharges(t: ContractTerms, usage: PeriodUsage, ctx: RatingContext = {}): PeriodCharges {
  const c = t.currency
  const fmt = (minor: bigint) => formatMoney(money(minor, c))
  const lines: ChargeLine[] = []
  const notes: string[] = []

  for (const name of Object.keys(usage.unitsByBand)) {
    if (!t.perDeviceRoyalty?.bands.some((b) => b.name === name))
      notes.push(`Units reported for “${name}”, which is not a price band of these terms, were not rated.`)
  }

  let royalties = 0n
  for (const band of t.perDeviceRoyalty?.bands ?? []) {
    const units = usage.unitsByBand[band.name] ?? 0
    if (units <= 0) continue
    const before = ctx.unitsEarlierInYear?.[band.name] ?? 0
    const line = rateBand(band, units, before, t.perDeviceRoyalty!.tiering, c)
    royalties += line.amountMinor
    lines.push(line)
  }

  if (t.revenueShare && usage.revenue !== undefined) {
    const revenue = amountOf(t, usage.revenue)
    const bps = percentBpsOf(t.revenueShare.percent)
    const share = divRoundHalfEven(revenue * bps, 10_000n)
    royalties += share
    lines.push({
      kind: 'revenue_share',
      label: `Revenue share ${t.revenueShare.percent}%`,
      amountMinor: share,
      trace: [`${fmt(revenue)} AI-related revenue × ${t.revenueShare.percent}% = ${fmt(share)}`],
    })
  }

  let earned = royalties
  if (t.cap) {
    const cap = amountOf(t, t.cap.amount)
    const before = ctx.royaltiesEarlierInYearMinor ?? 0n
    const room = cap > before ? cap - before : 0n
    if (royalties > room) {
      const cut = royalties - room
      earned = room
      lines.push({
        kind: 'cap_reduction',
        label: 'Royalty cap',
        amountMinor: -cut,
        trace: [
          `Cap ${fmt(cap)} per contract year − ${fmt(before)} earned earlier this year = ` +
            `${fmt(room)} left; royalties ${fmt(royalties)} − ${fmt(room)} = ${fmt(cut)} not charged`,
        ],
      })
    }
  }

  const advance = t.prepaidAdvance ? amountOf(t, t.prepaidAdvance.amount) : 0n
  const advanceLeft = ctx.advanceRemainingMinor ?? advance
  const recouped = earned < advanceLeft ? earned : advanceLeft
  if (recouped > 0n) {
    lines.push({
      kind: 'advance_recoupment',
      label: 'Recouped from prepaid advance',
      amountMinor: -recouped,
      trace: [
        `Advance left ${fmt(advanceLeft)}; royalties ${fmt(earned)} are recouped first: ` +
          `${fmt(recouped)} drawn, ${fmt(advanceLeft - recouped)} left`,
      ],
    })
  }

  if (t.baseFee) {
    const fee = amountOf(t, t.baseFee.amount)
    const perMonths = { month: 1, quarter: 3, year: 12 }[t.baseFee.period]
    const charged = divRoundHalfEven(fee * BigInt(usage.months), BigInt(perMonths))
    lines.push({
      kind: 'base_fee',
      label: 'Base license fee',
      amountMinor: charged,
      trace: [`${fmt(fee)} per ${t.baseFee.period} × ${usage.months}/${perMonths} months = ${fmt(charged)}`],
    })
  }

  if (t.minimumGuarantee) {
    const mg = amountOf(t, t.minimumGuarantee.amount)
    const earlier = ctx.earnedEarlierInGuaranteePeriodMinor ?? 0n
    const carried = ctx.carriedForwardMinor ?? 0n
    const counted = earlier + earned + carried
    if (ctx.closesGuaranteePeriod) {
      const shortfall = mg > counted ? mg - counted : 0n
      const trace = [
        `Guarantee ${fmt(mg)} per ${t.minimumGuarantee.period}; earned ${fmt(earlier)} earlier + ${fmt(earned)} now` +
          `${carried ? ` + ${fmt(carried)} carried forward` : ''} = ${fmt(counted)}`,
      ]
      if (shortfall > 0n) {
        trace.push(
          `Shortfall ${fmt(mg)} − ${fmt(counted)} = ${fmt(shortfall)}, invoiced at the end of the guarantee period`,
        )
        lines.push({
          kind: 'minimum_guarantee_shortfall',
          label: 'Minimum-guarantee shortfall',
          amountMinor: shortfall,
          trace,
        })
      } else {
        notes.push(
          `${trace[0]}: guarantee ` +
            `met${t.minimumGuarantee.carryForwardExcess ? `; ${fmt(counted - mg)} excess carries forward` : ''}.`,
        )
      }
    } else {
      notes.push(
        `Guarantee ${fmt(mg)} per ${t.minimumGuarantee.period}: ${fmt(counted)} earned so far in this ` +
          `guarantee period; any shortfall is invoiced when it ends.`,
      )
    }
  }

  if (t.pilotFee && ctx.includePilotFee) {
    const fee = amountOf(t, t.pilotFee.amount)
    lines.push({ kind: 'pilot_fee', label: 'Pilot fee', amountMinor: fee, trace: [`Fixed pilot fee ${fmt(fee)}`] })
  }

  const invoiceTotalMinor = lines.reduce((sum, l) => sum + l.amountMinor, 0n)
  return {
    currency: c,
    lines,
    earnedRoyaltiesMinor: earned,
    recoupedMinor: recouped,
    advanceRemainingAfterMinor: advanceLeft - recouped,
    invoiceTotalMinor,
    notes,
  }
}

function rateBand(
  band: PriceBand,
  units: number,
  before: number,
  tiering: 'graduated' | 'volume',
  c: ContractTerms['currency'],
): ChargeLine {
  const fmt = (minor: bigint) => formatMoney(money(minor, c))
  const rate = (micros: bigint) => formatRateMicros(micros, c)
  const trace: string[] = []
  const asp = `${band.minAsp}${band.maxAsp === null ? '+' : `–${band.maxAsp}`}`
  let micros = 0n
  const first = before
  const last = before + units // exclusive: this period's units are the year's units [first, last)
  if (tiering === 'graduated') {
    band.tiers.forEach((tier, i) => {
      const from = Math.max(first, tier.fromUnits)
      const to = Math.min(last, tier.toUnits ?? Number.POSITIVE_INFINITY)
      if (to <= from) return
      const r = rateMicrosOf(tier.rate)
      const count = BigInt(to - from)
      micros += count * r
      trace.push(`Tier ${i + 1} (year units ${n(from + 1)}–${n(to)}): ${n(count)} × ${rate(r)} = ${rate(count * r)}`)
    })
  } else {
    const reached = band.tiers.findIndex((t) => last - 1 >= t.fromUnits && (t.toUnits === null || last - 1 < t.toUnits))
    const tier = band.tiers[reached]!
    const r = rateMicrosOf(tier.rate)
    micros = BigInt(units) * r
    trace.push(
      `Volume tiering: ${n(last)} units this contract year reach tier ` +
        `${reached + 1}, so all ${n(units)} units this period are charged ` +
        `${rate(r)}: ${n(units)} × ${rate(r)} = ${rate(micros)}`,
    )
  }
  const minor = microsToMinor(micros, c)
  if (before > 0)
    trace.unshift(
      `${n(before)} units were shipped earlier this contract year; this period's ${n(units)} continue from ` +
        `unit ${n(before + 1)}`,
    )
  const exact = minorToMicros(minor, c) === micros
  trace.push(
    `Band total ${fmt(minor)}${
      exact ? '' : ` (${rate(micros)} rounded half to even to the ` + `${minorDigits(c) ? 'cent' : 'unit'})`
    }`,
  )
  return { kind: 'royalty', label: `Per-device royalty, band “${band.name}” (ASP ${asp})`, amountMinor: minor, trace }
}
