/**
 * An independent reference rater for the property test, written from the contract rules
 * (docs/decisions/006 and 010) and not from the production rating code, which it must not import.
 * It is deliberately plain: whole-contract recomputation, straight loops, its own date and decimal
 * arithmetic. Its terms are a simplified shape the test builds both the contract and this from.
 *
 * The rules it encodes:
 * - The contract's calendar starts on the first day of the calendar quarter holding its start;
 *   contract years are 12 months from there, quarterly guarantees run per calendar quarter, yearly
 *   ones per contract year.
 * - Reports are rated in period order, each under the version in force on its first day in force.
 * - Per-device royalties count units per band per contract year. Graduated: each unit at its tier.
 *   Volume: the period's units at the tier the year's units reach. Retroactive volume: after each
 *   period, every period of the year so far is priced at the tier reached (each under its own
 *   rates); the period is charged the difference to what the year was charged before.
 *   Each band's amount is rounded half to even to the cent once per period and period re-pricing.
 * - Revenue share: revenue × percent, rounded half to even.
 * - Royalties (per-device, true-ups, revenue share) above the yearly cap's room are not charged.
 * - What is earned after the cap is recouped from the prepaid advance first.
 * - The base fee of a full period is fee × (months from the anchor to its end) / months-per-fee-period
 *   less the same to its start, each rounded (so a fee period's shares add up to the fee); of a
 *   partial one, fee × months / months-per-fee-period × days in force / days in period, rounded once.
 * - A guarantee is settled by the report that ends its period: the guarantee (prorated by days in
 *   force) less what was earned (after the cap, before recoupment) in it, plus any excess carried
 *   from the period before when the contract carries excess forward; never negative.
 * - What the partner owes: the prepaid advance (once any report exists) plus every period's total.
 */

export interface RefTier {
  from: number
  /** Exclusive; null for the last tier. */
  to: number | null
  /** Price per device in millionths of the currency unit. */
  rateMicros: bigint
}

export interface RefBand {
  name: string
  tiers: RefTier[]
}

export interface RefTerms {
  tiering: 'graduated' | 'volume'
  retroactive: boolean
  bands: RefBand[]
  revenueShareBps?: bigint
  /** Per `baseFeeMonths` months, in cents. */
  baseFeeCents?: bigint
  baseFeeMonths?: number
  capCents?: bigint
  advanceCents?: bigint
  guarantee?: { cents: bigint; months: 3 | 12; carry: boolean }
}

export interface RefContract {
  start: string
  /** Last day in force, inclusive. */
  end: string
  versions: { from: string; terms: RefTerms }[]
}

export interface RefReport {
  start: string
  /** Exclusive. */
  end: string
  months: number
  units: Record<string, number>
  revenueCents: bigint
}

// ---- dates (YYYY-MM-DD, UTC) ----
const ms = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)))
const iso = (t: number) => new Date(t).toISOString().slice(0, 10)
const plusDays = (d: string, n: number) => iso(ms(d) + n * 86_400_000)
const plusMonths = (d: string, n: number) => {
  const y = Number(d.slice(0, 4))
  const m = Number(d.slice(5, 7)) - 1 + n
  return iso(Date.UTC(y + Math.floor(m / 12), ((m % 12) + 12) % 12, 1))
}
const days = (from: string, to: string) => Math.round((ms(to) - ms(from)) / 86_400_000)
const monthIndex = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7)) - 1
const max = (a: string, b: string) => (a > b ? a : b)
const min = (a: string, b: string) => (a < b ? a : b)

// ---- arithmetic ----
/** a / b rounded half to even, for b > 0. */
function roundHalfEven(a: bigint, b: bigint): bigint {
  const negative = a < 0n
  const x = negative ? -a : a
  let q = x / b
  const r = x - q * b
  if (r * 2n > b || (r * 2n === b && q % 2n === 1n)) q += 1n
  return negative ? -q : q
}
/** Millionths of a unit to cents, half to even. */
const microsToCents = (micros: bigint) => roundHalfEven(micros, 10_000n)

const tierAt = (band: RefBand, unit: number) =>
  band.tiers.find((t) => unit >= t.from && (t.to === null || unit < t.to)) ?? band.tiers[band.tiers.length - 1]!

/** The days of [from, to) the contract is in force. */
const inForce = (c: RefContract, from: string, to: string) =>
  Math.max(0, days(max(from, c.start), min(to, plusDays(c.end, 1))))

export function referenceOwed(c: RefContract, reports: RefReport[]): bigint {
  if (reports.length === 0) return 0n
  const anchorMonth = Math.floor(monthIndex(c.start) / 3) * 3
  const termsOn = (day: string) => [...c.versions].reverse().find((v) => v.from <= day)!.terms
  const first = c.versions[0]!.terms
  let owed = first.advanceCents ?? 0n
  let advanceLeft = first.advanceCents ?? 0n

  interface Year {
    units: Map<string, number>
    earned: bigint
    /** Retroactive volume: each period's units and band, and what the band was charged in total. */
    periods: Map<string, { units: number; band: RefBand }[]>
    charged: Map<string, bigint>
  }
  const years = new Map<number, Year>()
  const earnedInGuarantee = new Map<number, bigint>()
  let carried = 0n

  for (const r of [...reports].sort((a, b) => a.start.localeCompare(b.start))) {
    const t = termsOn(max(r.start, c.start))
    const yearIdx = Math.floor((monthIndex(r.start) - anchorMonth) / 12)
    if (!years.has(yearIdx))
      years.set(yearIdx, { units: new Map(), earned: 0n, periods: new Map(), charged: new Map() })
    const year = years.get(yearIdx)!

    let royalties = 0n
    for (const band of t.bands) {
      const u = r.units[band.name] ?? 0
      if (u <= 0) continue
      const before = year.units.get(band.name) ?? 0
      const after = before + u
      year.units.set(band.name, after)
      if (t.tiering === 'graduated') {
        let micros = 0n
        for (const tier of band.tiers) {
          const lo = Math.max(before, tier.from)
          const hi = Math.min(after, tier.to ?? Infinity)
          if (hi > lo) micros += BigInt(hi - lo) * tier.rateMicros
        }
        royalties += microsToCents(micros)
      } else if (!t.retroactive) {
        royalties += microsToCents(BigInt(u) * tierAt(band, after - 1).rateMicros)
      } else {
        const periods = year.periods.get(band.name) ?? []
        periods.push({ units: u, band })
        year.periods.set(band.name, periods)
        let total = 0n
        for (const p of periods) total += microsToCents(BigInt(p.units) * tierAt(p.band, after - 1).rateMicros)
        royalties += total - (year.charged.get(band.name) ?? 0n)
        year.charged.set(band.name, total)
      }
    }
    if (t.revenueShareBps !== undefined) royalties += roundHalfEven(r.revenueCents * t.revenueShareBps, 10_000n)

    let earned = royalties
    if (t.capCents !== undefined) {
      const room = t.capCents > year.earned ? t.capCents - year.earned : 0n
      if (earned > room) earned = room
    }
    year.earned += earned

    const recouped = earned <= 0n ? 0n : earned < advanceLeft ? earned : advanceLeft
    advanceLeft -= recouped
    let total = earned - recouped

    if (t.baseFeeCents !== undefined) {
      const active = inForce(c, r.start, r.end)
      const all = days(r.start, r.end)
      const fee = t.baseFeeCents
      const per = BigInt(t.baseFeeMonths!)
      if (active < all) total += roundHalfEven(fee * BigInt(r.months) * BigInt(active), per * BigInt(all))
      else {
        // A full period's share: the fee to its end less the fee to its start, from the anchor (decision 010).
        const before = BigInt(monthIndex(r.start) - anchorMonth)
        total += roundHalfEven(fee * (before + BigInt(r.months)), per) - roundHalfEven(fee * before, per)
      }
    }

    if (t.guarantee) {
      const g = t.guarantee
      const gIdx = Math.floor((monthIndex(r.start) - anchorMonth) / g.months)
      const gStart = plusMonths(
        `${Math.floor(anchorMonth / 12)}-${String((anchorMonth % 12) + 1).padStart(2, '0')}-01`,
        gIdx * g.months,
      )
      const gEnd = plusMonths(gStart, g.months)
      const earnedHere = (earnedInGuarantee.get(gIdx) ?? 0n) + earned
      earnedInGuarantee.set(gIdx, earnedHere)
      if (r.end >= gEnd) {
        const active = inForce(c, gStart, gEnd)
        const all = days(gStart, gEnd)
        const guaranteed = active === all ? g.cents : roundHalfEven(g.cents * BigInt(active), BigInt(all))
        const counted = earnedHere + (g.carry ? carried : 0n)
        if (guaranteed > counted) total += guaranteed - counted
        carried = g.carry && counted > guaranteed ? counted - guaranteed : 0n
      }
    }
    owed += total
  }
  return owed
}
