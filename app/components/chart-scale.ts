/**
 * The numbers behind every chart (issue 29): ticks a person can read (steps of 1, 2 or 5 times a power
 * of ten) and the linear map from data to drawing units. Pure, so it is unit-tested without a browser.
 */

export interface Ticks {
  /** The axis runs from the first tick to the last, so every mark sits inside a labelled range. */
  min: number
  max: number
  step: number
  values: number[]
}

/**
 * About `count` evenly spaced round ticks covering [lo, hi]. An empty or one-point range becomes
 * [0, 1] or widens around its value; `integer` keeps the step at 1 or more (counts of people, attempts).
 */
export function niceTicks(lo: number, hi: number, count = 5, opts: { integer?: boolean } = {}): Ticks {
  let a = Number.isFinite(lo) ? lo : 0
  let b = Number.isFinite(hi) ? hi : 0
  if (a > b) [a, b] = [b, a]
  if (a === b) {
    if (a === 0) b = 1
    else if (a > 0) a = 0
    else b = 0
  }
  const raw = (b - a) / Math.max(1, count)
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const norm = raw / magnitude
  let step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * magnitude
  if (opts.integer) step = Math.max(1, Math.round(step))
  // Rounded to the step's own decimals, so 0.1 + 0.2 shows as 0.3, not 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)))
  const fix = (v: number) => Number(v.toFixed(decimals)) + 0
  const min = fix(Math.floor(a / step + 1e-9) * step)
  const max = fix(Math.ceil(b / step - 1e-9) * step)
  const values: number[] = []
  for (let i = 0; min + i * step <= max + step / 2; i++) values.push(fix(min + i * step))
  return { min, max, step, values }
}

/** A tick's text with as many decimals as its step needs (0.2 steps: "0.4"; 20 steps: "40"; 1000s: "2,000"). */
export function tickText(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9))
  return value.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: decimals })
}

/** The linear map from a domain [d0, d1] to a range [r0, r1]; a zero-width domain maps to r0. */
export function linearScale(domain: [number, number], range: [number, number]): (v: number) => number {
  const [d0, d1] = domain
  const [r0, r1] = range
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0)
  return (v: number) => r0 + (v - d0) * k
}

/** Which of n category labels to print along an axis so that at most `room` show (always the first and last). */
export function labelEvery(n: number, room: number): (i: number) => boolean {
  const every = Math.max(1, Math.ceil(n / Math.max(1, room)))
  return (i: number) => i === n - 1 || (i % every === 0 && n - 1 - i >= every)
}
