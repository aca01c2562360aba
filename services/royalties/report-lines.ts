import { createHash } from 'node:crypto'
import { minorDigits } from '../kernel/money/currency.ts'
import { decimalMessage, parseDecimal } from '../kernel/money/decimal.ts'
import { amountOf, type ContractTerms } from '../rating/contract-terms.ts'
import { CsvError, readCsvBatches } from './parse-csv.ts'

/** One validated line of a shipment report. */
export interface ReportLine {
  lineNumber: number
  deviceModel: string
  deviceClass: string
  priceBand: string
  region: string
  units: number
  revenueMinor: bigint
}

export interface ReportMappings {
  /** Lower-cased SKU (device model) → device class. */
  sku: Map<string, string>
  /** Lower-cased region name → the region to report. */
  region: Map<string, string>
}

export interface LineIssue {
  line: number
  field: string
  message: string
}

export interface RawLine {
  device_model?: string
  device_class?: string
  price_band?: string
  asp?: string
  region?: string
  units?: string | number
  revenue?: string | number
}

export const reportColumns = [
  'device_model',
  'device_class',
  'price_band',
  'asp',
  'region',
  'units',
  'revenue',
] as const
const MAX_UNITS = 1_000_000_000
const MAX_ISSUES_KEPT = 200

/** What a validated report adds up to, computed while it streams (no line is kept in memory). */
export interface ReportSummary {
  lineCount: number
  unitsTotal: bigint
  revenueTotalMinor: bigint
  /** Per price band: units and revenue; '' is the band of contracts without per-device royalties. */
  usage: Record<string, { units: number; revenueMinor: bigint }>
  /** SHA-256 of the lines in line order: the same content posts once, whoever sends it how often. */
  contentSha256: string
}

/**
 * Checks each line against the contract version's terms: known device class, a price band by name
 * or average selling price, whole non-negative units written as decimal digits, revenue in the
 * contract's currency. Every problem names its line and field; valid lines go to the sink (the
 * staging table, or a list in tests) and into the summary. Duplicates are found once all lines are
 * staged (stage-royalty-report.ts), so memory stays flat in the report's size.
 */
const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim())

/**
 * Characters a person cannot see: line breaks and other controls (a whole row hidden inside a quoted
 * model name), zero-width and direction marks (two models that look the same but are not duplicates).
 */
const HIDDEN = /[\p{Cc}\p{Cf}]/u
const hiddenMessage = (value: string) => {
  const ch = value.match(HIDDEN)![0]
  const what =
    ch === '\n' || ch === '\r'
      ? 'a line break'
      : `an invisible character (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`
  return `This value holds ${what}: a row may be hidden inside it; retype the value without it.`
}

export class ReportValidator {
  readonly issues: LineIssue[] = []
  issueCount = 0
  private classes: Map<string, string>
  private bands: Map<string, string>
  private hash = createHash('sha256')
  /** Hashed lines not yet fed to the hash: one update per 64 kB, not per line. */
  private hashPending = ''
  private counted = { lineCount: 0, unitsTotal: 0n, revenueTotalMinor: 0n }
  private usage: ReportSummary['usage'] = {}

  constructor(
    private readonly terms: ContractTerms,
    private readonly mappings: ReportMappings = { sku: new Map(), region: new Map() },
    private readonly sink: (line: ReportLine) => void = () => {},
    private readonly contentPrefix = '',
  ) {
    this.classes = new Map(terms.deviceClasses.map((c) => [c.toLowerCase(), c]))
    this.bands = new Map((terms.perDeviceRoyalty?.bands ?? []).map((b) => [b.name.toLowerCase(), b.name]))
    this.hash.update(contentPrefix)
  }

  /** Case-insensitive lookup, remembering what each spelling read as: reports repeat a few names. */
  private seen = new WeakMap<Map<string, string>, Map<string, string | undefined>>()
  private lookup(names: Map<string, string>, typed: string): string | undefined {
    let seen = this.seen.get(names)
    if (!seen) this.seen.set(names, (seen = new Map()))
    const known = seen.get(typed)
    if (known !== undefined || seen.has(typed)) return known
    const found = names.get(typed.toLowerCase())
    if (seen.size < 10_000) seen.set(typed, found)
    return found
  }

  issue(line: number, field: string, message: string) {
    this.issueCount++
    if (this.issues.length < MAX_ISSUES_KEPT) this.issues.push({ line, field, message })
  }

  summary(): ReportSummary {
    this.flushHash()
    return { ...this.counted, usage: this.usage, contentSha256: this.hash.copy().digest('hex') }
  }

  private flushHash() {
    if (this.hashPending) this.hash.update(this.hashPending)
    this.hashPending = ''
  }

  add(line: number, raw: RawLine): void {
    const t = this.terms
    const before = this.issueCount
    const deviceModel = text(raw.device_model)
    if (!deviceModel) this.issue(line, 'device_model', 'Enter the device model.')
    else if (deviceModel.length > 120) this.issue(line, 'device_model', 'A device model is at most 120 characters.')
    else if (HIDDEN.test(deviceModel)) this.issue(line, 'device_model', hiddenMessage(deviceModel))
    // The partner's saved mappings: its SKU names to device classes, its region names to ours.
    const mappedClass = this.mappings.sku.size ? this.mappings.sku.get(deviceModel.toLowerCase()) : undefined
    const cls =
      this.lookup(this.classes, text(raw.device_class) || mappedClass || '') ??
      (mappedClass ? this.lookup(this.classes, mappedClass) : undefined)
    if (!cls)
      this.issue(
        line,
        'device_class',
        `Unknown device class “${text(raw.device_class)}”; this contract covers ` +
          `${t.deviceClasses.join(', ')}. Map your own names in the SKU mappings, or ask your partner ` +
          `manager to amend the contract.`,
      )
    const regionText = text(raw.region)
    const region = (this.mappings.region.size && this.mappings.region.get(regionText.toLowerCase())) || regionText
    if (!region) this.issue(line, 'region', 'Enter the region the devices shipped to.')
    else if (region.length > 120) this.issue(line, 'region', 'A region is at most 120 characters.')
    else if (HIDDEN.test(region)) this.issue(line, 'region', hiddenMessage(region))
    const units = parseUnits(raw.units)
    if (typeof units === 'string') this.issue(line, 'units', units)
    let revenueMinor = 0n
    const revenueText = text(raw.revenue)
    if (revenueText !== '') {
      try {
        revenueMinor = parseDecimal(revenueText, minorDigits(t.currency))
        if (revenueMinor < 0n) this.issue(line, 'revenue', `Revenue cannot be negative (“${revenueText}”).`)
      } catch (e) {
        this.issue(
          line,
          'revenue',
          `${decimalMessage(e)} (“${revenueText}”); ${t.currency} amounts have ` +
            `${minorDigits(t.currency)} decimal places.`,
        )
      }
    } else if (t.revenueShare && !t.perDeviceRoyalty)
      this.issue(
        line,
        'revenue',
        'This contract shares AI-related revenue: enter the revenue of this line (0 if none).',
      )
    let priceBand = ''
    if (t.perDeviceRoyalty) {
      const byName = text(raw.price_band)
      const asp = text(raw.asp)
      if (byName) {
        priceBand = this.lookup(this.bands, byName) ?? ''
        if (!priceBand)
          this.issue(
            line,
            'price_band',
            `Unknown price band “${byName}”; the bands are ${[...this.bands.values()].join(', ')}.`,
          )
      } else if (asp) {
        try {
          const value = parseDecimal(asp, minorDigits(t.currency))
          const band = t.perDeviceRoyalty.bands.find(
            (b) => value >= amountOf(t, b.minAsp) && (b.maxAsp === null || value < amountOf(t, b.maxAsp)),
          )
          if (!band) this.issue(line, 'asp', `No price band covers an average selling price of ${asp}.`)
          else priceBand = band.name
        } catch (e) {
          this.issue(line, 'asp', `${decimalMessage(e)} (“${asp}”).`)
        }
      } else this.issue(line, 'price_band', 'Give the price band (price_band) or the average selling price (asp).')
    }
    if (this.issueCount > before || typeof units === 'string') return
    const valid: ReportLine = {
      lineNumber: line,
      deviceModel,
      deviceClass: cls!,
      priceBand,
      region,
      units,
      revenueMinor,
    }
    this.hashPending += `${deviceModel}|${cls}|${priceBand}|${region}|${units}|${revenueMinor}\n`
    if (this.hashPending.length > 65_536) this.flushHash()
    this.counted.lineCount++
    this.counted.unitsTotal += BigInt(units)
    this.counted.revenueTotalMinor += revenueMinor
    const u = (this.usage[priceBand] ??= { units: 0, revenueMinor: 0n })
    u.units += units
    u.revenueMinor += revenueMinor
    this.sink(valid)
  }
}

/**
 * Units are a count of devices: decimal digits only (thousands separators allowed), so "1e6", "0x10",
 * "12.0" or "+5" are refused with what was typed rather than read as 1,000,000, 16 or 12.
 */
export function parseUnits(value: unknown): number | string {
  const typed = value === undefined || value === null ? '' : String(value).trim()
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return checkRange(value, typed)
  if (typed === '') return 'Enter the number of units (0 if none shipped).'
  if (/^-\d[\d,]*$/.test(typed))
    return `Units cannot be negative (“${typed}”); report returns as a restatement of the period they were shipped in.`
  if (!/^\d{1,3}(,\d{3})*$|^\d+$/.test(typed))
    return `Units must be a whole number of devices written in digits, like 1200 or 1,200, not “${typed}”.`
  return checkRange(Number(typed.replaceAll(',', '')), typed)
}

function checkRange(units: number, typed: string): number | string {
  if (units > MAX_UNITS)
    return (
      `“${typed}” units on one line is more than we accept ` +
      `(${MAX_UNITS.toLocaleString('en-US')}); check the number.`
    )
  return units
}

/** Streams a CSV file through the validator. Header problems stop at once; line problems are all collected. */
export async function validateReportCsv(
  chunks: AsyncIterable<Uint8Array>,
  v: ReportValidator,
  opts: { maxBytes?: number; mappings?: ReportMappings; terms: ContractTerms; afterLine?: () => Promise<void> },
): Promise<ReportValidator> {
  const { terms } = opts
  let header: string[] | undefined
  let at = columnIndexes([])
  // Blank lines inside the report are refused with their numbers once a line follows them (they often
  // mark rows lost where files were joined or edited); blank lines before the header or at the end are not.
  let blank: number[] = []
  try {
    const csv = readCsvBatches(sniffEncoding(chunks), { maxBytes: opts.maxBytes ?? 150_000_000, keepBlankLines: true })
    for await (const batch of csv) {
      for (const rec of batch) {
        // Excel's empty row is all commas; a line of spaces is as empty: both count as blank lines.
        if (rec.fields.every((f) => f.trim() === '')) {
          if (header) blank.push(rec.line)
          continue
        }
        if (blank.length) {
          for (const b of blank)
            v.issue(
              b,
              'row',
              'This line is blank, inside the report: remove it, and check that no rows were lost around it.',
            )
          blank = []
        }
        if (!header) {
          const problem = headerProblem(rec.fields)
          if (problem) {
            v.issue(1, 'header', problem)
            return v
          }
          header = rec.fields.map((f) => f.trim().toLowerCase())
          const unknown = header.filter((h) => !reportColumns.some((c) => c === h))
          const missing: string[] = ['device_model', 'region', 'units'].filter((c) => !header!.includes(c))
          if (!header.includes('device_class') && !opts.mappings?.sku.size) missing.splice(1, 0, 'device_class')
          if (terms.perDeviceRoyalty && !header.includes('price_band') && !header.includes('asp'))
            missing.push('price_band or asp')
          if (unknown.length || missing.length) {
            v.issue(
              1,
              'header',
              [
                missing.length ? `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.` : '',
                unknown.length ? `Unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.` : '',
                `The columns are: ${reportColumns.join(', ')}.`,
              ]
                .filter(Boolean)
                .join(' '),
            )
            return v
          }
          at = columnIndexes(header)
          continue
        }
        if (rec.fields.length === header.length && rec.fields.every((f, i) => f.trim().toLowerCase() === header![i])) {
          v.issue(
            rec.line,
            'row',
            'This line repeats the header: were two files joined? Remove the repeated header line and upload again.',
          )
          continue
        }
        if (rec.fields.length !== header.length) {
          v.issue(
            rec.line,
            'row',
            `Expected ${header.length} fields, found ${rec.fields.length}; check for an unquoted comma.`,
          )
          continue
        }
        const f = rec.fields
        v.add(rec.line, {
          device_model: f[at('device_model')],
          device_class: f[at('device_class')],
          price_band: f[at('price_band')],
          asp: f[at('asp')],
          region: f[at('region')],
          units: f[at('units')],
          revenue: f[at('revenue')],
        })
      }
      // Backpressure once per batch: the sink's COPY is given the chance to drain.
      await opts.afterLine?.()
    }
  } catch (e) {
    if (!(e instanceof CsvError)) throw e
    v.issue(e.line, 'file', e.message.replace(/^Line \d+: /, ''))
  }
  if (!header && v.issueCount === 0)
    v.issue(1, 'file', `The file is empty; the first line must name the columns: ${reportColumns.join(', ')}.`)
  return v
}

/** Where each known column is in the header (-1, read as undefined, when absent). */
function columnIndexes(header: string[]): (column: (typeof reportColumns)[number]) => number {
  const index = new Map(reportColumns.map((c) => [c, header.indexOf(c)]))
  return (column) => index.get(column) ?? -1
}

/** The header line's own problems, in the words a person saving a spreadsheet needs. */
function headerProblem(fields: string[]): string | null {
  if (fields.length === 1 && fields[0]!.includes('\t'))
    return (
      'This looks tab-separated (Excel’s “Text (Tab delimited)”): save it as “CSV UTF-8 (Comma delimited)” ' +
      'and upload it again.'
    )
  if (fields.length === 1 && fields[0]!.includes(';'))
    return (
      'This looks semicolon-separated (a spreadsheet saved with a European list separator): save it as ' +
      'comma-separated CSV, or export it with “,” as the separator.'
    )
  const blank = fields.findIndex((f) => f.trim() === '')
  if (blank >= 0)
    return `Column ${blank + 1} has no name: the first line must name every column (${reportColumns.join(', ')}).`
  return null
}

class EncodingError extends CsvError {}

const SAVE_AS_CSV = 'save it as “CSV UTF-8” and upload it again'

/**
 * What the first bytes say the file is, when it is not a UTF-8 text file: a workbook, UTF-16 with or
 * without its byte-order mark (Excel's “Unicode text”: every other byte of Latin text is NUL), or
 * binary. Named, so the person knows what to do, rather than shown back as a line of NULs.
 */
export function sniffFirstBytes(b: Uint8Array): string | null {
  if (b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04)
    return `this is an Excel workbook (.xlsx) or another zip file, not CSV: in Excel, ${SAVE_AS_CSV}`
  if (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0)
    return `this is an Excel 97–2003 workbook (.xls), not CSV: in Excel, ${SAVE_AS_CSV}`
  if (b.length >= 2) {
    const bom = (b[0]! << 8) | b[1]!
    if (bom === 0xfffe || bom === 0xfeff) return `this file is UTF-16: ${SAVE_AS_CSV}`
  }
  const n = Math.min(b.length, 512) & ~1
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < n; i += 2) {
    if (b[i] === 0) evenNul++
    if (b[i + 1] === 0) oddNul++
  }
  const half = n / 2
  if (half >= 4 && oddNul >= half * 0.4 && evenNul < half * 0.1)
    return `this file is UTF-16 (little-endian, without a byte-order mark): ${SAVE_AS_CSV}`
  if (half >= 4 && evenNul >= half * 0.4 && oddNul < half * 0.1)
    return `this file is UTF-16 (big-endian, without a byte-order mark): ${SAVE_AS_CSV}`
  return null
}

/** Refuses, by name, files that are not UTF-8 text (sniffFirstBytes), and NUL bytes anywhere, with their line. */
async function* sniffEncoding(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  let first = true
  let lines = 0
  for await (const chunk of chunks) {
    if (first) {
      const what = sniffFirstBytes(chunk)
      if (what) throw new EncodingError(1, what)
      first = false
    }
    const nul = chunk.indexOf(0)
    if (nul >= 0) {
      let line = lines + 1
      for (let i = chunk.indexOf(10); i >= 0 && i < nul; i = chunk.indexOf(10, i + 1)) line++
      throw new EncodingError(line, `a NUL byte: this is not a text CSV file (UTF-16 or binary?); ${SAVE_AS_CSV}`)
    }
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++
    yield chunk
  }
}
