/**
 * Finds lines that repeat device model, class, price band and region while a report streams, in
 * bounded memory: a 64-bit fingerprint and the line number of each key in an open-addressing table of
 * typed arrays (12 bytes a slot, at most MAX_SLOTS slots: 24 MB). Two lines with the same fingerprint
 * are only candidates, which the caller confirms against the stored lines. A report with more lines
 * than the table holds, or with a non-ASCII model or region (whose case folding is the database's to
 * decide), is checked by the database instead (`overflowed`).
 */
const MAX_SLOTS = 1 << 21
const EMPTY = 0

let h1 = 0
let h2 = 0
/** Folds one field into the two running hashes; false when it holds a non-ASCII character. */
function mix(s: string, fold: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i)
    if (c > 127) return false
    if (fold && c >= 65 && c <= 90) c += 32 // the database compares lower(model) and lower(region)
    h1 = Math.imul(h1 ^ c, 0x01000193)
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15)
  }
  h1 = Math.imul(h1 ^ 0xff, 0x01000193)
  h2 = Math.imul(h2 ^ 0xff, 0x5bd1e995) ^ (h2 >>> 15)
  return true
}

export class DuplicateFinder {
  private slots = 1 << 12
  private hi = new Uint32Array(this.slots)
  private lo = new Uint32Array(this.slots)
  private lines = new Uint32Array(this.slots)
  private used = 0
  overflowed = false
  /** Pairs of (first line, repeating line) whose fingerprints matched. */
  readonly candidates: [number, number][] = []

  add(line: number, deviceModel: string, deviceClass: string, priceBand: string, region: string): void {
    if (this.overflowed) return
    h1 = 0x811c9dc5
    h2 = 0x5bd1e995
    if (!(mix(deviceModel, true) && mix(deviceClass, false) && mix(priceBand, false) && mix(region, true))) {
      this.overflowed = true
      return
    }
    const a = h1 >>> 0
    const b = (h2 | 1) >>> 0 // never EMPTY
    if ((this.used + 1) * 2 > this.slots && !this.grow()) {
      this.overflowed = true
      return
    }
    let i = a & (this.slots - 1)
    for (;;) {
      if (this.lo[i] === EMPTY) {
        this.hi[i] = a
        this.lo[i] = b
        this.lines[i] = line
        this.used++
        return
      }
      if (this.hi[i] === a && this.lo[i] === b) {
        this.candidates.push([this.lines[i]!, line])
        return
      }
      i = (i + 1) & (this.slots - 1)
    }
  }

  private grow(): boolean {
    if (this.slots >= MAX_SLOTS) return false
    const [hi, lo, lines] = [this.hi, this.lo, this.lines]
    this.slots *= 2
    this.hi = new Uint32Array(this.slots)
    this.lo = new Uint32Array(this.slots)
    this.lines = new Uint32Array(this.slots)
    for (let j = 0; j < hi.length; j++) {
      if (lo[j] === EMPTY) continue
      let i = hi[j]! & (this.slots - 1)
      while (this.lo[i] !== EMPTY) i = (i + 1) & (this.slots - 1)
      this.hi[i] = hi[j]!
      this.lo[i] = lo[j]!
      this.lines[i] = lines[j]!
    }
    return true
  }
}
