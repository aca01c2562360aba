import PDFDocument from 'pdfkit'
import { BRAND, markCells, sealRimPath } from '../credentials/brand-marks.ts'
import { longDate } from '../credentials/credential-verdict.ts'
import { drawnOnce } from '../platform/drawn-once.ts'
import { FONTS } from '../platform/fonts.ts'
import { publicCertificate } from './certificate-credential.ts'

const toneColour = { valid: '#1a7f37', expired: '#9a6700', revoked: '#b42318' } as const

// Public, and about 120 ms of the event loop to draw (five embedded fonts): drawn once per content.
const drawn = drawnOnce<{ bytes: Buffer; filename: string }>(200)

/**
 * The certificate as a printable PDF (A4 landscape): the holder, the exam, the dates, a seal, and its standing
 * in words as of the download, so a printed copy of a revoked certificate says so. Fonts are embedded
 * (DejaVu), so any name prints as written.
 */
export async function certificatePdf(certificateId: string): Promise<{ bytes: Buffer; filename: string }> {
  const c = await publicCertificate(certificateId)
  // Everything printed comes from `c`, its standing in words as of today included (decision 043).
  return drawn(JSON.stringify(c), () => drawCertificatePdf(c))
}

async function drawCertificatePdf(
  c: Awaited<ReturnType<typeof publicCertificate>>,
): Promise<{ bytes: Buffer; filename: string }> {
  const issued = new Date(c.issuedAt)
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    info: {
      Title: `${c.exam.title}: ${c.holderName}`,
      Author: 'ggml.ai',
      Subject: c.verdict,
      CreationDate: issued,
      ModDate: issued,
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()))
  doc.registerFont('sans', FONTS.sans)
  doc.registerFont('sans-bold', FONTS.sansBold)
  doc.registerFont('serif', FONTS.serif)
  doc.registerFont('serif-bold', FONTS.serifBold)
  doc.registerFont('serif-italic', FONTS.serifItalic)
  const W = doc.page.width
  const H = doc.page.height
  const standing = c.standing === 'valid'

  // Frame: ink outside, gold inside.
  doc
    .lineWidth(6)
    .strokeColor(BRAND.ink)
    .rect(18, 18, W - 36, H - 36)
    .stroke()
  doc
    .lineWidth(1)
    .strokeColor(BRAND.gold)
    .rect(30, 30, W - 60, H - 60)
    .stroke()

  // The mark and the issuer's name.
  const markAt = { x: 56, y: 52, size: 40 }
  const unit = markAt.size / 32
  doc.roundedRect(markAt.x, markAt.y, markAt.size, markAt.size, 8 * unit).fill(BRAND.ink)
  for (const cell of markCells)
    doc
      .roundedRect(
        markAt.x + cell.x * unit,
        markAt.y + cell.y * unit,
        cell.size * unit,
        cell.size * unit,
        unit * (cell.lit ? 3 : 1.5),
      )
      .fillOpacity(cell.lit ? 1 : 0.55)
      .fill(cell.lit ? BRAND.accent : BRAND.blue)
  doc.fillOpacity(1)
  doc.font('sans-bold').fontSize(20).fillColor(BRAND.ink).text('ggml.ai', 106, 60, { lineBreak: false })
  doc
    .font('sans')
    .fontSize(8)
    .fillColor('#57606a')
    .text(`Certificate ID ${c.id}`, W - 360, 62, { width: 300, align: 'right' })

  // One line each: a long name or title is set smaller (down to 40%) rather than wrapped onto the next line.
  const centred = (text: string, y: number, font: string, size: number, colour: string = BRAND.ink, spacing = 0) => {
    const fitted = Math.max(
      size * 0.4,
      Math.min(size, (size * (W - 190)) / doc.font(font).fontSize(size).widthOfString(text)),
    )
    doc
      .fontSize(fitted)
      .fillColor(colour)
      .text(text, 90, y + (size - fitted) / 2, { width: W - 180, align: 'center', characterSpacing: spacing })
  }
  centred('CERTIFICATE OF ACHIEVEMENT', 128, 'sans-bold', 13, BRAND.gold, 3)
  centred('This certifies that', 166, 'serif-italic', 14, '#57606a')
  centred(c.holderName, 192, 'serif-bold', 34)
  centred('has passed the examination', 248, 'serif-italic', 14, '#57606a')
  centred(c.exam.title, 274, 'sans-bold', 22)
  doc
    .font('sans')
    .fontSize(10.5)
    .fillColor('#57606a')
    .text(c.exam.summary, 150, 312, { width: W - 300, align: 'center' })

  // Dates and where to verify, bottom left.
  const facts: [string, string][] = [
    ['Issued', longDate(c.issuedAt)],
    // As the page says it: an expired certificate is not "valid until" a day that has passed.
    [c.standing === 'expired' ? 'Expired' : 'Valid until', longDate(c.expiresAt)],
    ['Verify at', c.url],
  ]
  facts.forEach(([label, value], i) => {
    doc
      .font('sans-bold')
      .fontSize(10)
      .fillColor(BRAND.ink)
      .text(label, 70, 384 + i * 20, { lineBreak: false })
    doc
      .font('sans')
      .fontSize(10)
      .fillColor(BRAND.ink)
      .text(value, 150, 384 + i * 20, { lineBreak: false })
  })

  // The seal, bottom right: grey once the certificate no longer stands.
  const seal = { x: W - 150, y: 400, r: 58 }
  doc.path(sealRimPath(seal.x, seal.y, seal.r)).fill(standing ? BRAND.gold : '#8c959f')
  doc
    .lineWidth(1.8)
    .strokeColor('#ffffff')
    .circle(seal.x, seal.y, seal.r * 0.78)
    .stroke()
  doc
    .lineWidth(0.9)
    .circle(seal.x, seal.y, seal.r * 0.7)
    .stroke()
  doc.font('serif-bold').fontSize(19).fillColor('#ffffff')
  doc.text('ggml', seal.x - 50, seal.y - 18, { width: 100, align: 'center' })
  doc
    .font('sans-bold')
    .fontSize(7.5)
    .text(standing ? 'CERTIFIED' : 'NOT IN FORCE', seal.x - 50, seal.y + 8, {
      width: 100,
      align: 'center',
      characterSpacing: 1,
    })

  // The standing in words, across the bottom.
  doc.rect(30, H - 100, W - 60, 40).fill(toneColour[c.standing])
  doc
    .font('sans-bold')
    .fontSize(14)
    .fillColor('#ffffff')
    .text(c.verdict, 50, H - 87, { width: W - 100, align: 'center' })
  if (c.revokedReason)
    doc
      .font('sans')
      .fontSize(9)
      .fillColor(toneColour.revoked)
      .text(`Reason: ${c.revokedReason}`, 50, H - 54, {
        width: W - 100,
        align: 'center',
      })
  if (c.standing === 'revoked') {
    // Across the face, so a cropped or printed copy still says it.
    doc
      .save()
      .rotate(-18, { origin: [W / 2, H / 2] })
      .fillOpacity(0.18)
    doc
      .font('sans-bold')
      .fontSize(110)
      .fillColor(toneColour.revoked)
      .text('REVOKED', 0, H / 2 - 60, { width: W, align: 'center' })
    doc.restore()
  }
  doc.end()
  await done
  return { bytes: Buffer.concat(chunks), filename: `ggml-certificate-${c.id}.pdf` }
}
