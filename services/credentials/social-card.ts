import { drawnOnce } from '../platform/drawn-once.ts'
import { svgText, svgToPng, textWidth } from '../platform/svg-to-png.ts'
import { BRAND, markSvg, sealSvg } from './brand-marks.ts'

export type CredentialTone = 'valid' | 'expired' | 'revoked'

/** What a shared link's preview image says about a credential. */
export interface SocialCard {
  /** The kind of credential, small above the title: "Certificate", "Hardware badge". */
  kind: string
  title: string
  subtitle: string
  facts: string[]
  /** The verdict in words; it fills the band across the bottom, coloured by tone. */
  verdict: string
  tone: CredentialTone
  seal: boolean
}

export const SOCIAL_CARD_SIZE = { width: 1200, height: 630 } as const

const toneColour: Record<CredentialTone, string> = { valid: '#1a7f37', expired: '#9a6700', revoked: '#b42318' }

/** One line of text at most `max` px wide: smaller down to `min` px, then cut with an ellipsis. */
function fit(text: string, max: number, size: number, min: number, font: { bold?: boolean; serif?: boolean } = {}) {
  let s = size
  let width = textWidth(text, { ...font, size: s })
  if (width > max) {
    s = Math.max(min, Math.floor((size * max) / width))
    width = textWidth(text, { ...font, size: s })
  }
  let t = text
  while (width > max && t.length > 1) {
    t = t.slice(0, Math.max(1, Math.floor(t.length * (max / width)) - 1)).trimEnd()
    width = textWidth(`${t}…`, { ...font, size: s })
    if (width <= max) t = `${t}…`
  }
  return { text: t, size: s }
}

/** The card as SVG, 1200×630 (the size Open Graph and X's large card expect). */
export function socialCardSvg(card: SocialCard): string {
  const { width: W, height: H } = SOCIAL_CARD_SIZE
  const left = 72
  const textMax = card.seal ? 820 : W - 2 * left
  const title = fit(card.title, textMax, 60, 38, { bold: true })
  const subtitle = fit(card.subtitle, textMax, 34, 24)
  const verdict = fit(card.verdict, W - 2 * left, 34, 22, { bold: true })
  const facts = card.facts.slice(0, 3).map((f) => fit(f, textMax, 26, 20))
  const band = 120
  const stamp =
    card.tone === 'revoked'
      ? `<g transform="rotate(-14 600 290)" opacity="0.9"><rect x="300" y="215" width="600" height="150" rx="14" ` +
        `fill="none" stroke="${toneColour.revoked}" stroke-width="10"/><text x="600" y="322" text-anchor="middle" ` +
        `font-family="DejaVu Sans" font-weight="bold" font-size="104" letter-spacing="10" ` +
        `fill="${toneColour.revoked}">REVOKED</text></g>`
      : ''
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">` +
    `<rect width="${W}" height="${H}" fill="${BRAND.ink}"/>` +
    `<rect x="0" y="0" width="12" height="${H - band}" fill="${BRAND.accent}"/>` +
    markSvg(left, 56, 56) +
    `<text x="${left + 72}" y="97" font-family="DejaVu Sans" font-weight="bold" font-size="34" fill="#fff">ggml` +
    `<tspan fill="${BRAND.muted}" font-weight="normal">.ai</tspan></text>` +
    `<text x="${W - left}" y="95" text-anchor="end" font-family="DejaVu Sans" font-size="22" letter-spacing="3" ` +
    `fill="${BRAND.muted}">${svgText(card.kind.toUpperCase())}</text>` +
    `<text x="${left}" y="230" font-family="DejaVu Sans" font-weight="bold" font-size="${title.size}" ` +
    `fill="#fff">${svgText(title.text)}</text>` +
    `<text x="${left}" y="290" font-family="DejaVu Sans" font-size="${subtitle.size}" fill="${BRAND.inkText}">` +
    `${svgText(subtitle.text)}</text>` +
    facts
      .map(
        (f, i) =>
          `<text x="${left}" y="${360 + i * 42}" font-family="DejaVu Sans" font-size="${f.size}" ` +
          `fill="${BRAND.muted}">${svgText(f.text)}</text>`,
      )
      .join('') +
    (card.seal ? sealSvg(1010, 290, 110, card.tone === 'valid') : '') +
    stamp +
    `<rect x="0" y="${H - band}" width="${W}" height="${band}" fill="${toneColour[card.tone]}"/>` +
    `<text x="${left}" y="${H - band / 2 + verdict.size * 0.36}" font-family="DejaVu Sans" font-weight="bold" ` +
    `font-size="${verdict.size}" fill="#fff">${svgText(verdict.text)}</text></svg>`
  )
}

// Kept by the card's words: measuring them to fit costs more than looking the picture up (decision 043).
const drawn = drawnOnce<Buffer>(200)

/** The card as a PNG, with its title and verdict also written into the file as text. */
export function socialCardPng(card: SocialCard): Promise<Buffer> {
  return drawn(JSON.stringify(card), () =>
    svgToPng(socialCardSvg(card), { title: card.title, description: card.verdict }),
  )
}
