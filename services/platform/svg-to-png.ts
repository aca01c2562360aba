import { crc32 } from 'node:zlib'
import { Resvg, renderAsync, type ResvgRenderOptions } from '@resvg/resvg-js'
import { FONTS } from './fonts.ts'

const renderOptions: ResvgRenderOptions = {
  font: {
    loadSystemFonts: false,
    fontFiles: [FONTS.sans, FONTS.sansBold, FONTS.serif, FONTS.serifBold],
    defaultFontFamily: 'DejaVu Sans',
    sansSerifFamily: 'DejaVu Sans',
    serifFamily: 'DejaVu Serif',
  },
}

// Control characters are what this looks for.
// eslint-disable-next-line no-control-regex
const NOT_IN_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g

/**
 * Text as it goes into our SVG: markup escaped, and the characters XML 1.0 cannot carry at all (most C0
 * controls, U+FFFE, U+FFFF; not even as references) dropped, for resvg refuses the whole picture over one
 * of them, and a name typed with one would break its credential's preview.
 */
export const svgText = (text: string): string =>
  text.replace(NOT_IN_XML, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** How wide a line of text is drawn, in px, in the font images are rendered with. */
export function textWidth(text: string, font: { size: number; bold?: boolean; serif?: boolean }): number {
  const family = font.serif ? 'DejaVu Serif' : 'DejaVu Sans'
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="200"><text x="0" y="150" ` +
    `font-family="${family}" font-size="${font.size}" font-weight="${font.bold ? 'bold' : 'normal'}">` +
    `${svgText(text)}</text></svg>`
  // Only the face measured is loaded: loading every font for each measurement costs more than the drawing.
  const file = font.serif ? (font.bold ? FONTS.serifBold : FONTS.serif) : font.bold ? FONTS.sansBold : FONTS.sans
  return (
    new Resvg(svg, { font: { loadSystemFonts: false, fontFiles: [file], defaultFontFamily: family } }).getBBox()
      ?.width ?? 0
  )
}

/** An international text chunk (iTXt, UTF-8, uncompressed): what the picture says, for crawlers and tools. */
function textChunk(keyword: string, text: string): Buffer {
  // keyword, NUL, compression flag and method (none), empty language tag and translated keyword, the text.
  const data = Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0, 0, 0, 0, 0]), Buffer.from(text, 'utf8')])
  const type = Buffer.from('iTXt', 'latin1')
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  type.copy(out, 4)
  data.copy(out, 8)
  out.writeUInt32BE(crc32(Buffer.concat([type, data])), 8 + data.length)
  return out
}

/**
 * An SVG drawn to PNG (what social sites accept for a preview), carrying its title and description as text
 * chunks after the header, drawn off the event loop. The same SVG gives the same bytes.
 */
export async function svgToPng(svg: string, meta: { title: string; description: string }): Promise<Buffer> {
  // On libuv's thread pool: a few hundred milliseconds of drawing never hold up the requests around it.
  const png = (await renderAsync(svg, renderOptions)).asPng()
  // The signature (8 bytes) and IHDR (25) come first; text chunks may follow anywhere before IEND.
  const headerEnd = 8 + 25
  return Buffer.concat([
    png.subarray(0, headerEnd),
    textChunk('Title', meta.title),
    textChunk('Description', meta.description),
    png.subarray(headerEnd),
  ])
}
