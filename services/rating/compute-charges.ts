import { minorDigits } from '../kernel/money/currency.ts'
import { divRoundHalfEven } from '../kernel/money/decimal.ts'
import { formatMoney, formatRateMicros, microsToMinor, minorToMicros, money } from '../kernel/money/money.ts'
import { amountOf, percentBpsOf, rateMicrosOf, type ContractTerms, type PriceBand } from './contract-terms.ts'

/**
 * What one reporting period costs under one version of the terms: exact (integer minor units,
 * half-even rounding once per line) and explained (every line carries the arithmetic behind it).
 * Order, as contracts state it: royalties (per device, volume true-ups, revenue share) → cap →
 * advance recoupment → minimum-guarantee settlement at the end of a guarantee period; base and pilot
 * fees stand apart. Every decision is a line: a tier crossing or a guarantee met is a zero line with
 * its trace, a cap cut is a negative line even when it cuts the period to nothing
 * (docs/decisions/010-contract-calendar.md).
 */

export interface PeriodUsage {
  /** Units shipped in the period per price band, by band name. */
  unitsByBand: Record<string, number>
  /** AI-related revenue in the period, a decimal string in the contract currency. */
  revenue?: string
  /** Months the period covers (3 for a quarter), for base fees. */
  months: number
  /** The period's name ("2027-Q1"), for traces. */
  tag?: string
}

/** An earlier period of the same contract year, as a retroactive volume true-up re-prices it. */
export interface EarlierPeriod {
  tag: string
  units: number
  /** What its units of this band are charged so far (its royalty line plus earlier true-ups). */
  chargedMinor: bigint
  /** That period's band, under its own terms (amendments keep their rates). */
  band: PriceBand
}

/** Days in force of a partial period, to prorate fixed amounts. */
export interface Share {
  activeDays: number
  totalDays: number
}

export interface RatingContext {
  /** Units per band already shipped earlier in the same contract year (tiers count per year). */
  unitsEarlierInYear?: Record<string, number>
  /** Retroactive volume pricing: the earlier periods of the year, per band. */
  earlierPeriodsInYear?: Record<string, EarlierPeriod[]>
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
  /** The guarantee period's days in force, when the contract covers only part of it. */
  guaranteeShare?: Share
  /** The reported period's days in force, when the contract covers only part of it (base fees). */
  periodShare?: Share
  /** Charge the pilot fee with this period (a pilot's first invoice). */
  includePilotFee?: boolean
  /**
   * Months from the contract calendar's anchor to this period's start. Base fees are allocated
   * cumulatively from it (decision 010), so three months filed monthly total what the quarter would.
   */
  monthsBefore?: number
}

export type ChargeKind =
  | 'royalty'
  | 'tier_crossing'
  | 'volume_true_up'
  | 'revenue_share'
  | 'cap_reduction'
  | 'advance_recoupment'
  | 'base_fee'
  | 'minimum_guarantee_shortfall'
  | 'minimum_guarantee_met'
  | 'pilot_fee'

/** Lines whose amounts are royalties: they count against the cap and towards the guarantee. */
export const royaltyKinds: ReadonlySet<ChargeKind> = new Set(['royalty', 'volume_true_up', 'revenue_share'])

export interface ChargeLine {
  kind: ChargeKind
  label: string
  /** Signed: reductions (cap, recoupment, downward true-ups) are negative; records are zero. */
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
  /** Per band: this period's own royalty line, and the re-priced earlier periods after any true-up. */
  bandCharges: Record<string, { chargedMinor: bigint; earlier: { tag: string; chargedMinor: bigint }[] }>
  notes: string[]
}

const n = (x: number | bigint) => BigInt(x).toLocaleString('en-US')

export function computePeriodCharges(t: ContractTerms, usage: PeriodUsage, ctx: RatingContext = {}): PeriodCharges {
  const c = t.currency
  const fmt = (minor: bigint) => formatMoney(money(minor, c))
  const lines: ChargeLine[] = []
  const notes: string[] = []
  const bandCharges: PeriodCharges['bandCharges'] = {}

  for (const name of Object.keys(usage.unitsByBand)) {
    if (!t.perDeviceRoyalty?.bands.some((b) => b.name === name))
      notes.push(`Units reported for “${name}”, which is not a price band of these terms, were not rated.`)
  }

  const royalty = t.perDeviceRoyalty
  for (const band of royalty?.bands ?? []) {
    const units = usage.unitsByBand[band.name] ?? 0
    if (units <= 0) continue
    const before = ctx.unitsEarlierInYear?.[band.name] ?? 0
    const line = rateBand(band, units, before, royalty!.tiering, c)
    lines.push(line)
    const crossing = tierCrossing(band, before, units, c)
    if (crossing) lines.push(crossing)
    bandCharges[band.name] = { chargedMinor: line.amountMinor, earlier: [] }
    if (royalty!.tiering === 'volume' && royalty!.retroactive) {
      const earlier = ctx.earlierPeriodsInYear?.[band.name] ?? []
      const trueUp = volumeTrueUp(band, before + units, earlier, c, usage.tag)
      if (trueUp) {
        lines.push(trueUp.line)
        bandCharges[band.name]!.earlier = trueUp.repriced
      }
    }
  }

  if (t.revenueShare && usage.revenue !== undefined) {
    const revenue = amountOf(t, usage.revenue)
    const bps = percentBpsOf(t.revenueShare.percent)
    const share = divRoundHalfEven(revenue * bps, 10_000n)
    lines.push({
      kind: 'revenue_share',
      label: `Revenue share ${t.revenueShare.percent}%`,
      amountMinor: share,
      trace: [`${fmt(revenue)} AI-related revenue × ${t.revenueShare.percent}% = ${fmt(share)}`],
    })
  }

  const royalties = lines.filter((l) => royaltyKinds.has(l.kind)).reduce((s, l) => s + l.amountMinor, 0n)
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
        label: room === 0n ? 'Royalty cap reached: nothing charged this period' : 'Royalty cap',
        amountMinor: -cut,
        trace: [
          `Cap ${fmt(cap)} per contract year − ${fmt(before)} earned earlier this year = ${fmt(room)} left`,
          `Royalties ${fmt(royalties)} − ${fmt(room)} = ${fmt(cut)} not charged`,
        ],
      })
    }
  }

  const advance = t.prepaidAdvance ? amountOf(t, t.prepaidAdvance.amount) : 0n
  const advanceLeft = ctx.advanceRemainingMinor ?? advance
  const recouped = earned <= 0n ? 0n : earned < advanceLeft ? earned : advanceLeft
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
    // The fee to the period's end less the fee to its start, each rounded once: a period's share is its
    // own rounding, and the shares of a fee period always add up to the fee (decision 010).
    const before = BigInt(ctx.monthsBefore ?? 0)
    const per = BigInt(perMonths)
    const naive = divRoundHalfEven(fee * BigInt(usage.months), per)
    const full = divRoundHalfEven(fee * (before + BigInt(usage.months)), per) - divRoundHalfEven(fee * before, per)
    const trace = [`${fmt(fee)} per ${t.baseFee.period} × ${usage.months}/${perMonths} months = ${fmt(naive)}`]
    if (full !== naive)
      trace.push(
        `Allocated so the ${t.baseFee.period}'s periods add up to its fee: ${fmt(fee)} × ` +
          `${Number(before) + usage.months}/${perMonths} less ${fmt(fee)} × ${before}/${perMonths}, each rounded = ` +
          `${fmt(full)}`,
      )
    let charged = full
    if (ctx.periodShare && ctx.periodShare.activeDays < ctx.periodShare.totalDays) {
      const { activeDays, totalDays } = ctx.periodShare
      // Rounded once, from the fee itself (decision 010), not from the rounded period amount.
      charged = divRoundHalfEven(fee * BigInt(usage.months * activeDays), BigInt(perMonths * totalDays))
      trace.push(
        `In force ${activeDays} of the period's ${totalDays} days: ` +
          `${fmt(fee)} × ${usage.months}/${perMonths} × ${activeDays}/${totalDays} = ${fmt(charged)}`,
      )
    }
    lines.push({ kind: 'base_fee', label: 'Base license fee', amountMinor: charged, trace })
  }

  if (t.minimumGuarantee) {
    const full = amountOf(t, t.minimumGuarantee.amount)
    const share = ctx.guaranteeShare
    const partial = share && share.activeDays < share.totalDays
    const mg = partial ? divRoundHalfEven(full * BigInt(share.activeDays), BigInt(share.totalDays)) : full
    const mgText = partial
      ? `Guarantee ${fmt(full)} per ${t.minimumGuarantee.period} × ${share.activeDays}/${share.totalDays} ` +
        `days in force = ${fmt(mg)}`
      : `Guarantee ${fmt(mg)} per ${t.minimumGuarantee.period}`
    const earlier = ctx.earnedEarlierInGuaranteePeriodMinor ?? 0n
    const carried = ctx.carriedForwardMinor ?? 0n
    const counted = earlier + earned + carried
    if (ctx.closesGuaranteePeriod) {
      const shortfall = mg > counted ? mg - counted : 0n
      const trace = [
        mgText,
        `Earned ${fmt(earlier)} earlier + ${fmt(earned)} now` +
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
        const excess = counted - mg
        trace.push(
          t.minimumGuarantee.carryForwardExcess
            ? `Guarantee met; ${fmt(excess)} excess carries forward`
            : `Guarantee met with ${fmt(excess)} to spare; nothing more is owed`,
        )
        lines.push({ kind: 'minimum_guarantee_met', label: 'Minimum guarantee met', amountMinor: 0n, trace })
      }
    } else {
      notes.push(
        `${mgText}: ${fmt(counted)} earned so far in this guarantee period; any shortfall is invoiced when it ends.`,
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
    bandCharges,
    notes,
  }
}

const tierIndexOf = (band: PriceBand, unit: number) =>
  band.tiers.findIndex((t) => unit >= t.fromUnits && (t.toUnits === null || unit < t.toUnits))

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
    const reached = tierIndexOf(band, last - 1)
    const r = rateMicrosOf(band.tiers[reached]!.rate)
    micros = BigInt(units) * r
    trace.push(
      `Volume tiering: ${n(last)} units this contract year reach tier ${reached + 1}, so this period's ` +
        `${n(units)} units are charged ${rate(r)}: ${n(units)} × ${rate(r)} = ${rate(micros)}`,
    )
  }
  const minor = microsToMinor(micros, c)
  if (before > 0)
    trace.unshift(
      `${n(before)} units were shipped earlier this contract year; this period's ${n(units)} continue from unit ` +
        `${n(before + 1)}`,
    )
  const exact = minorToMicros(minor, c) === micros
  trace.push(
    `Band total ${fmt(minor)}` +
      (exact ? '' : ` (${rate(micros)} rounded half to even to the ${minorDigits(c) ? 'cent' : 'unit'})`),
  )
  return { kind: 'royalty', label: `Per-device royalty, band “${band.name}” (ASP ${asp})`, amountMinor: minor, trace }
}

/** A zero line recording that this period's units crossed into a higher tier of the year. */
function tierCrossing(band: PriceBand, before: number, units: number, c: ContractTerms['currency']): ChargeLine | null {
  const from = tierIndexOf(band, Math.max(before - 1, 0))
  const to = tierIndexOf(band, before + units - 1)
  if (before === 0 ? to === 0 : to === from) return null
  const crossed = band.tiers.slice(before === 0 ? 1 : from + 1, to + 1)
  return {
    kind: 'tier_crossing',
    label: `Tier crossed, band “${band.name}”`,
    amountMinor: 0n,
    trace: crossed.map(
      (t, i) =>
        `Year units passed ${n(t.fromUnits)}: tier ${band.tiers.indexOf(t) + 1} at ` +
        `${formatRateMicros(rateMicrosOf(t.rate), c)} per device from unit ${n(t.fromUnits + 1)}` +
        (i === crossed.length - 1 ? ` (the year now stands at ${n(before + units)} units)` : ''),
    ),
  }
}

/**
 * Retroactive volume pricing: every earlier period of the contract year, re-priced at the tier the
 * year has now reached (under that period's own terms), less what it was charged. Zero when no tier
 * was crossed; the charge and the earlier periods' new amounts otherwise.
 */
function volumeTrueUp(
  band: PriceBand,
  yearUnits: number,
  earlier: EarlierPeriod[],
  c: ContractTerms['currency'],
  tag?: string,
): { line: ChargeLine; repriced: { tag: string; chargedMinor: bigint }[] } | null {
  const fmt = (minor: bigint) => formatMoney(money(minor, c))
  const repriced = earlier.map((e) => {
    const tier = e.band.tiers[tierIndexOf(e.band, yearUnits - 1)] ?? e.band.tiers.at(-1)!
    const r = rateMicrosOf(tier.rate)
    return { e, r, chargedMinor: microsToMinor(BigInt(e.units) * r, c) }
  })
  const changed = repriced.filter((p) => p.chargedMinor !== p.e.chargedMinor)
  if (changed.length === 0) return null
  const total = changed.reduce((s, p) => s + p.chargedMinor - p.e.chargedMinor, 0n)
  const rates = [...new Set(changed.map((p) => formatRateMicros(p.r, c)))]
  const tags = changed.map((p) => p.e.tag)
  const names = tags.length === 1 ? tags[0] : `${tags.slice(0, -1).join(', ')} and ${tags.at(-1)}`
  return {
    line: {
      kind: 'volume_true_up',
      label: `Volume true-up, band “${band.name}”: ${names} re-priced at ${rates.join(' / ')}`,
      amountMinor: total,
      trace: [
        `The contract year reached ${n(yearUnits)} units${tag ? ` in ${tag}` : ''}: ` +
          'its earlier periods are re-priced ' +
          'at the tier reached',
        ...changed.map(
          (p) =>
            `${p.e.tag}: ${n(p.e.units)} × ${formatRateMicros(p.r, c)} = ${fmt(p.chargedMinor)}, ` +
            `charged ${fmt(p.e.chargedMinor)}: ` +
            `${fmt(p.chargedMinor - p.e.chargedMinor)}`,
        ),
        `${names} re-priced at ${rates.join(' / ')}: ${fmt(total)}`,
      ],
    },
    repriced: repriced.map((p) => ({ tag: p.e.tag, chargedMinor: p.chargedMinor })),
  }
}
