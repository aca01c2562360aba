import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib'

/** A font's ToUnicode CMap: glyph code (hex, as written in the content stream) to the text it stands for. */
function toUnicode(cmap: string): Map<string, string> {
  const map = new Map<string, string>()
  // A ligature maps to several characters: <0066 0069> is "fi".
  const text = (hex: string) => String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)))
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g))
      map.set(m[1]!.toLowerCase(), text(m[2]!.replace(/\s/g, '')))
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g)) {
      const [from, to] = [parseInt(m[1]!, 16), parseInt(m[2]!, 16)]
      const width = m[1]!.length
      const targets = m[3]!.startsWith('[')
        ? [...m[3]!.matchAll(/<([0-9a-fA-F\s]+)>/g)].map((t) => t[1]!.replace(/\s/g, ''))
        : null
      for (let code = from; code <= to; code++) {
        const key = code.toString(16).padStart(width, '0')
        if (targets) {
          if (targets[code - from]) map.set(key, text(targets[code - from]!))
        } else {
          const base = m[3]!.slice(1, -1)
          const first = parseInt(base.slice(-4), 16) + (code - from)
          map.set(key, text(base.slice(0, -4) + first.toString(16).padStart(4, '0')))
        }
      }
    }
  return map
}

const streamText = (doc: PDFDocument, ref: unknown): string => {
  const stream = ref instanceof PDFRef ? doc.context.lookup(ref) : ref
  return stream instanceof PDFRawStream ? Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1') : ''
}

/**
 * The text of a PDF whose fonts are embedded (pdfkit with a TrueType font: glyph codes mapped back through
 * each font's ToUnicode CMap), one line per text operator in drawing order. Read with pdf-lib; enough to check
 * what a document says, not a general PDF reader. Standard-font PDFs: tests/support/pdf-text.ts.
 */
export async function pdfUnicodeText(pdf: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(pdf)
  const lines: string[] = []
  for (const page of doc.getPages()) {
    const fonts = new Map<string, Map<string, string>>()
    const fontDict = page.node.Resources()?.lookup(PDFName.of('Font'), PDFDict)
    for (const [name, ref] of fontDict?.entries() ?? []) {
      const font = doc.context.lookup(ref, PDFDict)
      fonts.set(name.asString(), toUnicode(streamText(doc, font.get(PDFName.of('ToUnicode')))))
    }
    const contents = page.node.Contents()
    const parts = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : []
    const content = parts.map((p) => streamText(doc, p)).join('\n')
    let current = new Map<string, string>()
    for (const op of content.matchAll(
      /(\/[^\s/]+)\s+[\d.]+\s+Tf|\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g,
    )) {
      if (op[1]) {
        current = fonts.get(op[1]) ?? new Map()
        continue
      }
      const hexes = op[2] !== undefined ? [...op[2].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]!) : [op[3]!]
      const width = [...current.keys()][0]?.length ?? 2
      lines.push(
        hexes
          .map((hex) =>
            (hex.toLowerCase().match(new RegExp(`.{${width}}`, 'g')) ?? []).map((c) => current.get(c) ?? '').join(''),
          )
          .join(''),
      )
    }
  }
  return lines.join('\n')
}
