import { mkdirSync, writeFileSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { startAppServer } from '../support/app-server.ts'
import { acceptedResultRows } from '../support/certification.ts'
import { issuedCertificate } from '../support/certificates.ts'
import { createOrganization, unique } from '../support/fixtures.ts'
import { pdfUnicodeText } from '../support/pdf-unicode-text.ts'
import { livingAt } from '../support/time.ts'

// Issue 28: credentials people are proud to share, that never flatter a revoked one. The certificate's PDF is
// read back as text; the preview image is read as a PNG (its size and the words written into it).
livingAt('2026-12-07T10:00:00Z')
// The PDFs and preview images are saved beside the browser tests' screenshots, for a person to review.
const SCREENSHOTS = process.env.SCREENSHOT_DIR ?? '/tmp/ggml-public-face'

let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true })
  server = await startAppServer()
})
afterAll(async () => {
  await server.close()
})

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers })

/** A PNG's size (IHDR) and its text chunks (tEXt, zTXt, iTXt), as a social site's crawler would read them. */
function readPng(bytes: Buffer) {
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
  const text: Record<string, string> = {}
  let size = { width: 0, height: 0 }
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at)
    const type = bytes.toString('latin1', at + 4, at + 8)
    const data = bytes.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') size = { width: data.readUInt32BE(0), height: data.readUInt32BE(4) }
    const nul = data.indexOf(0)
    if (type === 'tEXt') text[data.toString('latin1', 0, nul)] = data.toString('latin1', nul + 1)
    if (type === 'zTXt') text[data.toString('latin1', 0, nul)] = inflateSync(data.subarray(nul + 2)).toString('latin1')
    // Uncompressed iTXt: keyword, NUL, flag 0, method, language tag NUL, translated keyword NUL, UTF-8 text.
    if (type === 'iTXt' && data[nul + 1] === 0) {
      const afterTag = data.indexOf(0, nul + 3)
      text[data.toString('latin1', 0, nul)] = data.toString('utf8', data.indexOf(0, afterTag + 1) + 1)
    }
    at += 12 + length
  }
  return { ...size, text }
}

async function previewOf(path: string, headers: Record<string, string> = {}) {
  const res = await get(path, headers)
  const bytes = Buffer.from(await res.arrayBuffer())
  return { res, bytes, png: res.status === 200 ? readPng(bytes) : null }
}

const certificate = () =>
  issuedCertificate({
    // A name outside Latin-1: the PDF and the image embed their fonts, so it prints as written.
    holderName: `Zoë Łukasiewicz-${unique('x').slice(2)}`,
    issuedAt: '2026-03-14T09:30:00Z',
    expiresAt: '2028-03-14T09:30:00Z',
  })

describe('a certificate to share (issue 28)', () => {
  it('prints as a PDF that names the holder, the exam, the dates and the standing, in words', async () => {
    const { certificate: c, exam } = await certificate()
    const res = await get(`/certificates/${c.id}/certificate.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    expect(res.headers.get('content-disposition')).toMatch(/^inline; filename="ggml-certificate-/)
    const bytes = new Uint8Array(await res.arrayBuffer())
    writeFileSync(`${SCREENSHOTS}/certificate-valid.pdf`, bytes)
    const text = await pdfUnicodeText(bytes)
    const lines = text.split('\n')
    expect(lines).toContain('ggml.ai')
    expect(lines).toContain('CERTIFICATE OF ACHIEVEMENT')
    expect(lines).toContain(c.holderName)
    expect(lines).toContain(exam.title)
    expect(text).toMatch(/Issued\s*\n14 March 2026/)
    expect(text).toMatch(/Valid until\s*\n14 March 2028/)
    expect(lines).toContain('Valid — verified by ggml on 7 December 2026')
    expect(lines).toContain(`${server.url}/certificates/${c.id}`)
    expect(text).toContain(`Certificate ID ${c.id}`)
    expect(text).not.toMatch(/revoked/i)
  })

  it('sets a long name on one line of the PDF, smaller, rather than over the lines below it', async () => {
    const holderName = 'Maria Fernanda de los Ángeles Castellanos-Villavicencio y Ortega'
    const { certificate: c } = await issuedCertificate({ holderName, issuedAt: '2026-03-14', expiresAt: '2028-03-14' })
    const res = await get(`/certificates/${c.id}/certificate.pdf`)
    expect((await pdfUnicodeText(new Uint8Array(await res.arrayBuffer()))).split('\n')).toContain(holderName)
  })

  it('draws a PDF once for what it shows: fetching a shared link in a loop costs little (decision 043)', async () => {
    const { certificate: c } = await certificate()
    const pdf = async (query = '') =>
      Buffer.from(await (await get(`/certificates/${c.id}/certificate.pdf${query}`)).arrayBuffer())
    const first = await pdf()
    const cpu = process.cpuUsage()
    for (let i = 0; i < 10; i++) expect((await pdf(`?i=${i}`)).equals(first)).toBe(true)
    const { user, system } = process.cpuUsage(cpu)
    // One drawing costs about 120 ms of CPU: ten downloads of a kept one cost less than three drawings.
    expect((user + system) / 1000).toBeLessThan(360)
  })

  it('previews and prints a name typed with characters XML cannot carry, rather than failing', async () => {
    const { certificate: c } = await issuedCertificate({
      holderName: 'Eve\u0001 Mallory\u000b <svg onload=x>\uffff',
      issuedAt: '2026-03-14',
      expiresAt: '2028-03-14',
    })
    const { res, png } = await previewOf(`/certificates/${c.id}/preview.png`)
    expect(res.status).toBe(200)
    expect(png).toMatchObject({ width: 1200, height: 630 })
    expect((await get(`/certificates/${c.id}/certificate.pdf`)).status).toBe(200)
  })

  it('previews a shared link with a 1200×630 PNG, cached and revalidated by its ETag', async () => {
    const { certificate: c } = await certificate()
    const { res, png } = await previewOf(`/certificates/${c.id}/preview.png`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('cache-control')).toBe('public, max-age=300')
    expect(png).toMatchObject({ width: 1200, height: 630 })
    expect(png!.text).toEqual({ Title: c.holderName, Description: 'Valid — verified by ggml on 7 December 2026' })
    const etag = res.headers.get('etag')!
    expect((await get(`/certificates/${c.id}/preview.png`, { 'If-None-Match': etag })).status).toBe(304)
    const page = await (await get(`/certificates/${c.id}`)).text()
    expect(page).toContain(
      `<meta property="og:image" content="${server.url}/certificates/${c.id}/preview.png?standing=valid"`,
    )
  })

  it('once revoked, the page, the PDF and the preview image all say so, whatever address a cheater asks', async () => {
    const { certificate: c } = await certificate()
    const valid = await previewOf(`/certificates/${c.id}/preview.png`)
    await db().certificate.update({
      where: { id: c.id },
      data: { revokedAt: new Date('2026-12-05T16:00:00Z'), revokedReason: 'Answers shared before the exam.' },
    })

    const page = (await (await get(`/certificates/${c.id}`)).text()).replaceAll('<!-- -->', '')
    expect(page).toContain('Revoked on 5 December 2026. Reason: Answers shared before the exam.')
    expect(page).not.toContain('Valid — verified')
    // Nothing offers to put a revoked certificate on a profile.
    expect(page).not.toContain('linkedin.com')
    expect(page).toContain(`content="${server.url}/certificates/${c.id}/preview.png?standing=revoked"`)
    expect(page).toMatch(/<meta property="og:description" content="[^"]*Revoked on 5 December 2026/)

    const revokedPdf = new Uint8Array(await (await get(`/certificates/${c.id}/certificate.pdf`)).arrayBuffer())
    writeFileSync(`${SCREENSHOTS}/certificate-revoked.pdf`, revokedPdf)
    const pdf = await pdfUnicodeText(revokedPdf)
    expect(pdf.split('\n')).toContain('Revoked on 5 December 2026')
    expect(pdf).toContain('REVOKED')
    expect(pdf).toContain('NOT IN FORCE')
    expect(pdf).not.toContain('Valid — verified')

    // The image is drawn from the standing now: the valid picture's address, or its ETag, gets the revoked one.
    for (const path of [`/certificates/${c.id}/preview.png?standing=valid`, `/certificates/${c.id}/preview.png`]) {
      const revoked = await previewOf(path, { 'If-None-Match': valid.res.headers.get('etag')! })
      expect(revoked.res.status).toBe(200)
      expect(revoked.png!.text.Description).toBe('Revoked on 5 December 2026')
      expect(revoked.bytes.equals(valid.bytes)).toBe(false)
    }
  })

  it('an expired certificate says when it ran out, and is not offered to LinkedIn', async () => {
    const { certificate: c } = await issuedCertificate({
      holderName: 'Old Timer',
      issuedAt: '2024-01-10T00:00:00Z',
      expiresAt: '2026-01-10T00:00:00Z',
    })
    const page = (await (await get(`/certificates/${c.id}`)).text()).replaceAll('<!-- -->', '')
    expect(page).toContain('Expired on 10 January 2026')
    expect(page).not.toContain('linkedin.com')
    const { png } = await previewOf(`/certificates/${c.id}/preview.png`)
    expect(png!.text.Description).toBe('Expired on 10 January 2026')
    const pdf = await pdfUnicodeText(
      new Uint8Array(await (await get(`/certificates/${c.id}/certificate.pdf`)).arrayBuffer()),
    )
    expect(pdf).toContain('Expired on 10 January 2026')
    // Its dates as the page words them: not "valid until" a day that has passed.
    expect(pdf).toMatch(/Expired\s*\n10 January 2026/)
    expect(pdf).not.toContain('Valid until')
  })

  it('a certificate that does not exist is a 404 on every address, not an image or a PDF', async () => {
    const id = newId()
    for (const path of [
      `/certificates/${id}`,
      `/certificates/${id}/certificate.pdf`,
      `/certificates/${id}/preview.png`,
    ])
      expect((await get(path)).status, path).toBe(404)
  })
})

describe('a badge to share (issue 28)', () => {
  async function badge() {
    const org = await createOrganization('oem_partner', unique('Helios'))
    const { requestId, resultId } = await acceptedResultRows(org.id)
    await db().certResult.update({ where: { id: resultId }, data: { payload: { records: [] } } })
    const id = newId()
    await db().certBadge.create({
      data: {
        id,
        organizationId: org.id,
        requestId,
        resultId,
        assurance: 'reviewed',
        issuedAt: new Date('2026-11-20T08:00:00Z'),
        summary: {
          shape: '7b',
          type: 'Q4_0',
          pp: { n: 512, ts: 612.4, sd: 3.1 },
          tg: { n: 128, ts: 41.8, sd: 0.2 },
          cpu: 'AMD RYZEN AI MAX+ 395',
          backends: ['CPU', 'Vulkan'],
        },
      },
    })
    return id
  }

  it('previews as verified while it stands, and as revoked once revoked, at the same address', async () => {
    const id = await badge()
    const before = await previewOf(`/badges/${id}/preview.png`)
    expect(before.res.headers.get('content-type')).toBe('image/png')
    expect(before.png).toMatchObject({ width: 1200, height: 630, text: { Description: 'Verified · Reproduced' } })
    const page = await (await get(`/badges/${id}`)).text()
    expect(page).toContain(
      `<meta property="og:image" content="${server.url}/badges/${id}/preview.png?standing=in%20force"`,
    )
    expect(page).toMatch(/<meta property="og:description" content="Verified: 7B-class Q4_0 generates 41.8 tokens\/s/)

    await db().certBadge.update({ where: { id }, data: { revokedAt: new Date('2026-12-01T12:00:00Z') } })
    const after = await previewOf(`/badges/${id}/preview.png?standing=in%20force`)
    expect(after.png!.text.Description).toBe('Revoked on 1 December 2026')
    const revokedPage = (await (await get(`/badges/${id}`)).text()).replaceAll('<!-- -->', '')
    expect(revokedPage).toMatch(/<meta property="og:description" content="Revoked on 1 December 2026: /)
    expect(revokedPage).not.toMatch(/Verified:/)
  })

  it('a held badge has no preview, as it has no page', async () => {
    const id = await badge()
    await db().certBadge.update({ where: { id }, data: { assurance: 'held' } })
    expect((await get(`/badges/${id}/preview.png`)).status).toBe(404)
  })
})
