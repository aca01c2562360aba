import { createRequire } from 'node:module'
import path from 'node:path'

// The fonts our images and PDFs are drawn with ship as an npm package (DejaVu), not as system fonts:
// the production image (node:*-slim) has none, and a preview must look the same on every machine.
const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')

export const FONTS = {
  sans: path.join(dir, 'DejaVuSans.ttf'),
  sansBold: path.join(dir, 'DejaVuSans-Bold.ttf'),
  serif: path.join(dir, 'DejaVuSerif.ttf'),
  serifBold: path.join(dir, 'DejaVuSerif-Bold.ttf'),
  serifItalic: path.join(dir, 'DejaVuSerif-Italic.ttf'),
} as const
