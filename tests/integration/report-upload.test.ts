import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { hybridTerms } from '../../services/rating/sample-terms.ts'
import { startAppServer } from '../support/app-server.ts'
import { HttpClient } from '../support/http-client.ts'
import { linesOfContract, signedContractFor } from '../support/royalties.ts'
import { livingAt } from '../support/time.ts'

// The reports these tests file are of 2027 and 2028: the platform lives after them.
livingAt()

let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

const header = 'device_model,device_class,price_band,asp,region,units,revenue\n'

async function partnerSession() {
  const c = await signedContractFor(
    hybridTerms({ term: { start: '2027-01-01', end: '2029-12-31', renewal: { kind: 'none' } } }),
  )
  const http = new HttpClient(server.url)
  await http.signIn(c.partnerAdmin.email, c.partnerAdmin.password)
  const upload = async (csv: string | Uint8Array, period = '2027-Q1', extra: Record<string, string> = {}) => {
    const form = new FormData()
    form.set('csrf', http.csrfToken())
    form.set('contractId', c.contract.id)
    form.set('period', period)
    form.set('intent', 'upload')
    for (const [k, v] of Object.entries(extra)) form.set(k, v)
    form.set('file', new Blob([csv as BlobPart], { type: 'text/csv' }), 'report.csv')
    const res = await fetch(`${server.url}/portal/${c.partner.slug}/reports`, {
      method: 'POST',
      body: form,
      headers: { Cookie: cookieOf(http), Origin: server.url },
      redirect: 'manual',
    })
    return {
      status: res.status,
      location: res.headers.get('location'),
      text: (await res.text()).replaceAll('<!-- -->', ''),
    }
  }
  return { c, http, upload }
}

// HttpClient keeps cookies privately; rebuild the header from what it exposes.
const cookieOf = (h: HttpClient) => ['__csrf', '__session'].map((n) => `${n}=${h.cookie(n)}`).join('; ')

describe('uploading a report as CSV', () => {
  it('posts a valid file and shows its charges with their traces', async () => {
    const { c, http, upload } = await partnerSession()
    const res = await upload(`${header}NW-Phone 5,smartphone,Entry,,EU,"1,000",\nNW-Book,laptop,,650.00,US,200,\n`)
    expect(res.status).toBe(302)
    const page = await (await http.get(res.location!)).text()
    expect(page.replaceAll('<!-- -->', '')).toContain('Tier 1 (year units 1–1,000): 1,000 × $0.30 = $300.00')
    expect(page).toContain('Premium')
    expect(await db().royaltyReport.count({ where: { contractId: c.contract.id } })).toBe(1)
  })

  it.each([
    [
      'a file that is not UTF-8',
      new Uint8Array([
        ...new TextEncoder().encode(header),
        ...new TextEncoder().encode('M'),
        0xfc,
        ...new TextEncoder().encode('nchen,smartphone,Entry,,EU,1,\n'),
      ]),
      'Line 2, file: the file is not UTF-8: byte 0xFC (“ü” in Windows-1252) suggests Windows-1252',
    ],
    // Issue 30: what a spreadsheet export gets wrong, named rather than shown back as NULs or field errors.
    [
      'UTF-16 without a byte-order mark',
      new Uint8Array(Buffer.from(`${header}A,smartphone,Entry,,EU,5,\n`, 'utf16le')),
      'Line 1, file: this file is UTF-16 (little-endian, without a byte-order mark): save it as “CSV UTF-8”',
    ],
    [
      'an Excel workbook',
      new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]),
      'Line 1, file: this is an Excel workbook (.xlsx) or another zip file, not CSV',
    ],
    [
      'a NUL byte',
      new Uint8Array([...new TextEncoder().encode(`${header}A,smartphone,Entry,,EU,5,\nB`), 0, 0x0a]),
      'Line 3, file: a NUL byte: this is not a text CSV file',
    ],
    [
      'a blank line inside the report',
      `${header}A,smartphone,Entry,,EU,5,\n\nB,smartphone,Entry,,EU,5,\n\n`,
      'Line 3, row: This line is blank, inside the report',
    ],
    // Attacker review of issue 30: junk that posted. A decimal comma read as grouping was 100× the revenue.
    [
      'a decimal comma in revenue',
      `${header}A,smartphone,Entry,,EU,5,"1234,56"\n`,
      'Line 2, revenue: “1234,56” uses a comma as the decimal mark: write 1234.56',
    ],
    [
      'a row hidden inside a quoted device model',
      `${header}"Phone A\nB,smartphone,Premium,,EU,50000\nPhone C",smartphone,Entry,,EU,100,\n`,
      'Line 2, device_model: This value holds a line break: a row may be hidden inside it',
    ],
    [
      'a zero-width character in a region',
      `${header}A,smartphone,Entry,,E\u200bU,5,\n`,
      'Line 2, region: This value holds an invisible character (U+200B)',
    ],
    [
      'an empty spreadsheet row (all commas) inside the report',
      `${header}A,smartphone,Entry,,EU,5,\n,,,,,,\nB,smartphone,Entry,,EU,5,\n,,,,,,\n`,
      'Line 3, row: This line is blank, inside the report',
    ],
    [
      'a tab-separated file',
      `${header.replaceAll(',', '\t')}A\tsmartphone\tEntry\t\tEU\t5\t\n`,
      'Line 1, header: This looks tab-separated',
    ],
    [
      'a header repeated where two files were joined',
      `${header}A,smartphone,Entry,,EU,5,\n${header}B,smartphone,Entry,,EU,5,\n`,
      'Line 3, row: This line repeats the header',
    ],
    [
      'a missing column',
      'device_model,device_class,region\nx,smartphone,EU\n',
      'Line 1, header: Missing columns: units, price_band or asp.',
    ],
    ['negative units', `${header}A,smartphone,Entry,,EU,-5,\n`, 'Line 2, units: Units cannot be negative (“-5”)'],
    [
      'an unknown device class',
      `${header}A,toaster,Entry,,EU,5,\n`,
      'Line 2, device_class: Unknown device class “toaster”; this contract covers smartphone, laptop, edge gateway.',
    ],
    [
      'a duplicate line',
      `${header}A,smartphone,Entry,,EU,5,\nA,smartphone,Entry,,EU,7,\n`,
      'Line 3, device_model: Duplicate of line 2',
    ],
    ['an unknown price band', `${header}A,smartphone,Gold,,EU,5,\n`, 'Line 2, price_band: Unknown price band “Gold”'],
    [
      'units that are not a number',
      `${header}A,smartphone,Entry,,EU,five,\n`,
      'Line 2, units: Units must be a whole number of devices written in digits, like 1200 or 1,200, not “five”.',
    ],
  ])('refuses %s with its line and field, and posts nothing', async (_, csv, message) => {
    const { c, upload } = await partnerSession()
    const res = await upload(csv)
    expect(res.status).toBe(422)
    expect(res.text).toContain('Nothing was posted')
    expect(res.text).toContain(message)
    expect(await db().royaltyReport.count({ where: { contractId: c.contract.id } })).toBe(0)
    expect(await db().journalEntry.count({ where: { organizationId: c.partner.id } })).toBe(0)
  })

  it('a zero report takes no file, and a zero restatement is confirmed by typing the period (issue 30)', async () => {
    const { c, upload } = await partnerSession()
    expect((await upload(`${header}A,smartphone,Entry,,EU,5,\n`)).status).toBe(302)
    // "Nothing shipped" pressed with a file chosen: nothing posted, the partner told which button to use.
    const misclick = await upload(`${header}A,smartphone,Entry,,EU,7,\n`, '2027-Q1', { intent: 'zero' })
    expect(misclick.status).toBe(422)
    expect(misclick.text).toContain('You chose a file and pressed “Nothing shipped”')
    // Restating the quarter as nothing shipped needs the period typed; an empty file part is no file.
    const unconfirmed = await upload('', '2027-Q1', { intent: 'zero', restatement: 'on' })
    expect(unconfirmed.status).toBe(422)
    expect(unconfirmed.text).toContain('type 2027-Q1 to confirm')
    const reports = () => db().royaltyReport.count({ where: { contractId: c.contract.id } })
    expect(await reports()).toBe(1)
    const confirmed = await upload('', '2027-Q1', { intent: 'zero', restatement: 'on', confirmZero: '2027-Q1' })
    expect(confirmed.status).toBe(302)
    expect(await reports()).toBe(2)
  })

  it('applies the partner’s saved SKU and region mappings', async () => {
    const { c, http, upload } = await partnerSession()
    const page = `/portal/${c.partner.slug}/mappings`
    await http.get(page)
    expect((await http.post(page, { kind: 'sku', source: 'NW-PH5-128', target: 'toaster' })).status).toBe(422)
    await http.post(page, { kind: 'sku', source: 'NW-PH5-128', target: 'smartphone' })
    await http.post(page, { kind: 'region', source: 'Deutschland', target: 'EU' })
    const res = await upload('device_model,price_band,region,units\nNW-PH5-128,Entry,Deutschland,100\n')
    expect(res.status).toBe(302)
    const line = await db().royaltyReportLine.findFirstOrThrow({
      where: await linesOfContract(c.contract.id),
    })
    expect([line.deviceClass, line.region]).toEqual(['smartphone', 'EU'])
  })

  it('lists every bad line of a large file, not just the first', async () => {
    const { upload } = await partnerSession()
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `M${i},smartphone,Entry,,EU,${i % 1000 === 999 ? -1 : 1},`,
    ).join('\n')
    const res = await upload(`${header}${rows}\n`)
    expect(res.status).toBe(422)
    expect(res.text).toContain('the file has 5 problems to fix')
    expect(res.text).toContain('Line 1001, units')
    expect(res.text).toContain('Line 5001, units')
  })

  it('refuses a 200 MB upload before reading it', async () => {
    const { c, http: session } = await partnerSession()
    // A raw request: the server answers 413 and closes while the client is still sending, so fetch
    // would report the reset instead of the answer. Here the answer counts; the reset after it does not.
    const size = 200 * 1024 * 1024
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      let answered = false
      const req = http.request(`${server.url}/portal/${c.partner.slug}/reports`, {
        method: 'POST',
        headers: {
          'Content-Type': 'multipart/form-data; boundary=ggml',
          'Content-Length': String(size),
          Cookie: cookieOf(session),
          Origin: server.url,
        },
      })
      req.on('response', (r) => {
        answered = true
        let text = ''
        r.setEncoding('utf8')
        r.on('data', (d: string) => (text += d))
        r.on('end', () => resolve({ status: r.statusCode ?? 0, text: text.replaceAll('<!-- -->', '') }))
        r.on('error', () => resolve({ status: r.statusCode ?? 0, text }))
      })
      req.on('error', (e) => {
        if (!answered) reject(e)
      })
      const chunk = Buffer.alloc(1024 * 1024, 0x41)
      let sent = 0
      const pump = () => {
        while (sent < size && !answered && !req.destroyed) {
          sent += chunk.length
          if (!req.write(chunk)) return void req.once('drain', pump)
        }
        if (sent >= size) req.end()
      }
      pump()
    })
    expect(res.status).toBe(413)
    expect(res.text).toContain('The upload is larger than 150 MB, the most one report may be. A report needs one line')
  })
})
