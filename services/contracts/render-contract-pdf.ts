import { createHash } from 'node:crypto'
import PDFDocument from 'pdfkit'
import type { ContractKindName, ContractTerms } from '../rating/contract-terms.ts'
import { describeTerms, kindLabel } from './describe-terms.ts'

export interface AgreementInput {
  number: string
  version: number
  effectiveFrom: string
  kind: ContractKindName
  title: string
  partner: { name: string }
  partnerSigner: { name: string; email: string }
  ggmlSigner: { name: string; email: string }
  terms: ContractTerms
  termsSha256: string
}

/** Anchor strings DocuSign places the signature fields on (drawn in white, invisible on paper). */
export const SIGNATURE_ANCHORS = { partner: '/ggml-sig-partner/', ggml: '/ggml-sig-licensor/' } as const

/**
 * The agreement as a PDF: the parties and every term in a table. Deterministic (fixed dates in the
 * document info), so the same version always renders to the same bytes and hash.
 */
export async function renderContractPdf(a: AgreementInput): Promise<{ bytes: Buffer; sha256: string }> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: {
      Title: `${a.number} v${a.version}: ${a.title}`,
      Author: 'ggml.ai',
      Subject: kindLabel[a.kind],
      CreationDate: new Date(`${a.effectiveFrom}T00:00:00Z`),
      ModDate: new Date(`${a.effectiveFrom}T00:00:00Z`),
    },
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()))

  const width = doc.page.width - 112
  doc.font('Helvetica-Bold').fontSize(18).text(a.title)
  doc.moveDown(0.3).font('Helvetica').fontSize(10).fillColor('#444')
  doc.text(`${kindLabel[a.kind]} · Contract ${a.number} · Version ${a.version} · effective ${a.effectiveFrom}`)
  doc.moveDown(1).fillColor('#000').font('Helvetica-Bold').fontSize(12).text('Parties')
  doc.font('Helvetica').fontSize(10)
  doc.text('Licensor: ggml.ai, the company behind the GGML library and llama.cpp.')
  doc.text(`Licensee: ${a.partner.name}.`)
  doc.moveDown(1).font('Helvetica-Bold').fontSize(12).text('Terms')
  doc.moveDown(0.4)

  const labelWidth = 160
  for (const row of describeTerms(a.kind, a.terms)) {
    const y = doc.y
    const h = Math.max(
      doc.heightOfString(row.label, { width: labelWidth - 8 }),
      doc.heightOfString(row.value, { width: width - labelWidth }),
    )
    if (y + h + 12 > doc.page.height - 56) doc.addPage()
    const top = doc.y
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .text(row.label, 56, top, { width: labelWidth - 8 })
    doc
      .font('Helvetica')
      .fontSize(9)
      .text(row.value, 56 + labelWidth, top, { width: width - labelWidth })
    const bottom = Math.max(doc.y, top + h)
    doc
      .moveTo(56, bottom + 4)
      .lineTo(56 + width, bottom + 4)
      .strokeColor('#ccc')
      .lineWidth(0.5)
      .stroke()
    doc.y = bottom + 8
  }

  doc.moveDown(1).font('Helvetica').fontSize(8).fillColor('#444')
  doc.text(
    `Royalties are computed in integer minor units of ${a.terms.currency}; rounding is half to even, once ` +
      `per charge line. Terms fingerprint (SHA-256 of the canonical terms): ${a.termsSha256}`,
    56,
    doc.y,
    { width },
  )
  doc.fillColor('#000')

  drawSignatureBlocks(doc, [
    { who: a.partner.name, signer: a.partnerSigner, anchor: SIGNATURE_ANCHORS.partner },
    { who: 'ggml.ai', signer: a.ggmlSigner, anchor: SIGNATURE_ANCHORS.ggml },
  ])
  doc.end()
  await done
  const bytes = Buffer.concat(chunks)
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') }
}

/**
 * The signature page of an agreement or statement of work: one block per party, each with the
 * invisible anchor DocuSign places that party's signature field on (in routing order).
 */
export function drawSignatureBlocks(
  doc: PDFKit.PDFDocument,
  blocks: { who: string; signer: { name: string; email: string }; anchor: string }[],
): void {
  if (doc.y > doc.page.height - 220) doc.addPage()
  doc.moveDown(2).font('Helvetica-Bold').fontSize(12).text('Signatures', 56)
  for (const b of blocks) {
    doc.moveDown(1).font('Helvetica').fontSize(10).text(`For ${b.who}: ${b.signer.name} <${b.signer.email}>`)
    doc.moveDown(0.5).fillColor('#ffffff').text(b.anchor).fillColor('#000')
    doc.text('Signature: ______________________________   Date: ____________')
  }
}
