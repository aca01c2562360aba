import { minorDigits } from '../money/currency.ts'
import { DecimalError, parseDecimal } from '../money/decimal.ts'
import { amountOf, type ContractTerms } from '../contracts/contract-terms.ts'
import { CsvError, readCsv } from './parse-csv.ts'

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

/**
 * Checks each line against the contract version's terms: known device class, a price band by name
 * or average selling price, whole non-negative units, revenue in the contract's currency, no line
 * twice. Every problem names its line and field; nothing is posted unless there are none.
 */
export class ReportValidator {
  readonly lines: ReportLine[] = []
  readonly issues: LineIssue[] = []
  issueCount = 0
  private seen = new Map<string, number>()
  private classes: Map<string, string>
  private bands: Map<string, string>

  constructor(
    private readonly terms: ContractTerms,
    private readonly mappings: ReportMappings = { sku: new Map(), region: new Map() },
  ) {
    this.classes = new Map(terms.deviceClasses.map((c) => [c.toLowerCase(), c]))
    this.bands = new Map((terms.perDeviceRoyalty?.bands ?? []).map((b) => [b.name.toLowerCase(), b.name]))
  }

  private issue(line: number, field: string, message: string) {
    this.issueCount++
    if (this.issues.length < MAX_ISSUES_KEPT) this.issues.push({ line, field, message })
  }

  add(line: number, raw: RawLine): void {
    const t = this.terms
    const text = (v: unknown) => (v === undefined || v === null ? '' : String(v).trim())
    const before = this.issueCount
    const deviceModel = text(raw.device_model)
    if (!deviceModel) this.issue(line, 'device_model', 'Enter the device model.')
    else if (deviceModel.length > 120) this.issue(line, 'device_model', 'A device model is at most 120 characters.')
    // The partner's saved mappings: its SKU names to device classes, its region names to ours.
    const mappedClass = this.mappings.sku.get(deviceModel.toLowerCase())
    const cls =
      this.classes.get((text(raw.device_class) || mappedClass || '').toLowerCase()) ??
      (mappedClass ? this.classes.get(mappedClass.toLowerCase()) : undefined)
    if (!cls)
      this.issue(
        line,
        'device_class',
        `Unknown device class “${text(raw.device_class)}”; this contract covers ` +
          `${t.deviceClasses.join(', ')}. Map your own names in the SKU mappings, or ask your partner ` +
          `manager to amend the contract.`,
      )
    const region = this.mappings.region.get(text(raw.region).toLowerCase()) ?? text(raw.region)
    if (!region) this.issue(line, 'region', 'Enter the region the devices shipped to.')
    const unitsText = text(raw.units).replaceAll(',', '')
    const units = Number(unitsText)
    if (unitsText === '' || !Number.isInteger(units))
      this.issue(line, 'units', `Units must be a whole number of devices, not “${text(raw.units)}”.`)
    else if (units < 0)
      this.issue(
        line,
        'units',
        `Units cannot be negative (${units}); report returns as a restatement of the period they were shipped in.`,
      )
    else if (units > MAX_UNITS)
      this.issue(line, 'units', `${units} units on one line is more than we accept (${MAX_UNITS}); check the number.`)
    let revenueMinor = 0n
    const revenueText = text(raw.revenue)
    if (revenueText !== '') {
      try {
        revenueMinor = parseDecimal(revenueText, minorDigits(t.currency))
        if (revenueMinor < 0n) this.issue(line, 'revenue', 'Revenue cannot be negative.')
      } catch (e) {
        this.issue(
          line,
          'revenue',
          `${(e as DecimalError).message}; ${t.currency} amounts have ${minorDigits(t.currency)} decimal places.`,
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
        priceBand = this.bands.get(byName.toLowerCase()) ?? ''
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
          this.issue(line, 'asp', `${(e as DecimalError).message}.`)
        }
      } else this.issue(line, 'price_band', 'Give the price band (price_band) or the average selling price (asp).')
    }
    if (this.issueCount > before) return
    const key = [deviceModel.toLowerCase(), cls, priceBand, region.toLowerCase()].join('\u0000')
    const dup = this.seen.get(key)
    if (dup !== undefined) {
      this.issue(
        line,
        'device_model',
        `Duplicate of line ${dup}: same device model, class, price band and region. Combine them into one line.`,
      )
      return
    }
    this.seen.set(key, line)
    this.lines.push({ lineNumber: line, deviceModel, deviceClass: cls!, priceBand, region, units, revenueMinor })
  }
}

/** Streams a CSV file through the validator. Header problems stop at once; line problems are all collected. */
export async function validateReportCsv(
  chunks: AsyncIterable<Uint8Array>,
  terms: ContractTerms,
  opts: { maxBytes?: number; mappings?: ReportMappings } = {},
): Promise<ReportValidator> {
  const v = new ReportValidator(terms, opts.mappings)
  let header: string[] | undefined
  try {
    for await (const rec of readCsv(chunks, { maxBytes: opts.maxBytes ?? 150_000_000 })) {
      if (!header) {
        header = rec.fields.map((f) => f.trim().toLowerCase())
        const unknown = header.filter((h) => !(reportColumns as readonly string[]).includes(h))
        const missing = (['device_model', 'region', 'units'] as const).filter((c) => !header!.includes(c)) as string[]
        if (!header.includes('device_class') && !opts.mappings?.sku.size) missing.splice(1, 0, 'device_class')
        if (terms.perDeviceRoyalty && !header.includes('price_band') && !header.includes('asp'))
          missing.push('price_band or asp' as never)
        if (unknown.length || missing.length) {
          v.issueCount++
          v.issues.push({
            line: 1,
            field: 'header',
            message: [
              missing.length ? `Missing column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}.` : '',
              unknown.length ? `Unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.` : '',
              `The columns are: ${reportColumns.join(', ')}.`,
            ]
              .filter(Boolean)
              .join(' '),
          })
          return v
        }
        continue
      }
      if (rec.fields.length !== header.length) {
        v.issueCount++
        if (v.issues.length < MAX_ISSUES_KEPT)
          v.issues.push({
            line: rec.line,
            field: 'row',
            message: `Expected ${header.length} fields, found ${rec.fields.length}; check for an unquoted comma.`,
          })
        continue
      }
      const raw: Record<string, string> = {}
      header.forEach((h, i) => (raw[h] = rec.fields[i]!))
      v.add(rec.line, raw)
    }
  } catch (e) {
    if (!(e instanceof CsvError)) throw e
    v.issueCount++
    v.issues.push({ line: e.line, field: 'file', message: e.message.replace(/^Line \d+: /, '') })
  }
  if (!header) {
    v.issues.push({
      line: 1,
      field: 'file',
      message: `The file is empty; the first line must name the columns: ${reportColumns.join(', ')}.`,
    })
    v.issueCount++
  }
  return v
}
