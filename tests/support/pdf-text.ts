import { inflateSync } from 'node:zlib'

// Windows-1252 bytes 0x80–0x9f that pdfkit's standard fonts (WinAnsiEncoding) use for typographic marks.
const WIN_ANSI: Record<number, string> = {
  0x80: '€',
  0x85: '…',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
}
const decode = (hex: string) =>
  Buffer.from(hex, 'hex')
    .toJSON()
    .data.map((b) => WIN_ANSI[b] ?? String.fromCharCode(b))
    .join('')

/**
 * The text of a PDF made by pdfkit with its standard fonts, one line per text operator, in drawing order:
 * each content stream is inflated and its TJ/Tj strings decoded (kerning numbers dropped). Enough to
 * check what a document says; not a general PDF reader.
 */
export function pdfText(pdf: Buffer | Uint8Array): string {
  const lines: string[] = []
  for (const content of pdfStreams(pdf))
    for (const op of content.matchAll(/\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g))
      lines.push(
        op[1] !== undefined
          ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => decode(h[1]!)).join('')
          : decode(op[2]!),
      )
  return lines.join('\n')
}

/** Every stream of the file, inflated where it is compressed (pdfkit's FlateDecode), as latin1 text. */
export function pdfStreams(pdf: Buffer | Uint8Array): string[] {
  const bytes = Buffer.from(pdf)
  const raw = bytes.toString('latin1')
  const streams: string[] = []
  const streamRe = /(?<!end)stream\r?\n/g
  let m: RegExpExecArray | null
  while ((m = streamRe.exec(raw))) {
    const start = m.index + m[0].length
    const end = raw.indexOf('endstream', start)
    if (end < 0) break
    const body = bytes.subarray(start, end)
    try {
      streams.push(inflateSync(body).toString('latin1'))
    } catch {
      streams.push(body.toString('latin1'))
    }
    streamRe.lastIndex = end
  }
  return streams
}
