/**
 * ggml's mark and a credential's seal as geometry, for what the server draws itself (preview images,
 * certificate PDFs). The page draws the same mark from app/components/public-layout.tsx (LogoMark).
 */

export const BRAND = {
  ink: '#0d1b2a',
  ink2: '#1b2d42',
  inkText: '#e6edf3',
  muted: '#9fb3c8',
  accent: '#ff8a3d',
  blue: '#5b8fd1',
  gold: '#b7791f',
} as const

/** The mark's nine cells on a 32-unit square: a 3×3 tensor whose diagonal (the identity) is lit. */
export const markCells = [0, 1, 2].flatMap((row) =>
  [0, 1, 2].map((col) => ({ x: 5 + col * 8, y: 5 + row * 8, size: 6, lit: row === col })),
)

/** The mark as SVG, `size` px square with its top-left corner at (x, y). */
export function markSvg(x: number, y: number, size: number): string {
  const cells = markCells
    .map(
      (c) =>
        `<rect x="${c.x}" y="${c.y}" width="${c.size}" height="${c.size}" rx="${c.lit ? 3 : 1.5}" ` +
        `fill="${c.lit ? BRAND.accent : BRAND.blue}" opacity="${c.lit ? 1 : 0.55}"/>`,
    )
    .join('')
  return (
    `<g transform="translate(${x} ${y}) scale(${size / 32})"><rect width="32" height="32" rx="8" ` +
    `fill="${BRAND.ink}" stroke="#2c4460" stroke-width="0.5"/>${cells}</g>`
  )
}

/** A seal's serrated rim: 2·points corners alternating between r and 0.9·r, as SVG path data. */
export function sealRimPath(cx: number, cy: number, r: number, points = 30): string {
  const corners = Array.from({ length: points * 2 }, (_, i) => {
    const angle = (Math.PI * i) / points - Math.PI / 2
    const radius = i % 2 === 0 ? r : r * 0.9
    return `${(cx + radius * Math.cos(angle)).toFixed(2)} ${(cy + radius * Math.sin(angle)).toFixed(2)}`
  })
  return `M ${corners.join(' L ')} Z`
}

/** The seal drawn as SVG: rim, rings and two lines of words; grey when the credential no longer stands. */
export function sealSvg(cx: number, cy: number, r: number, standing: boolean): string {
  const fill = standing ? BRAND.gold : '#8c959f'
  return (
    `<g><path d="${sealRimPath(cx, cy, r)}" fill="${fill}"/>` +
    `<circle cx="${cx}" cy="${cy}" r="${r * 0.78}" fill="none" stroke="#fff" stroke-width="${r * 0.03}"/>` +
    `<circle cx="${cx}" cy="${cy}" r="${r * 0.7}" fill="none" stroke="#fff" stroke-width="${r * 0.015}"/>` +
    `<text x="${cx}" y="${cy - r * 0.08}" text-anchor="middle" font-family="DejaVu Serif" font-weight="bold" ` +
    `font-size="${r * 0.34}" fill="#fff">ggml</text>` +
    `<text x="${cx}" y="${cy + r * 0.28}" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" ` +
    `font-size="${r * 0.15}" letter-spacing="${r * 0.02}" fill="#fff">` +
    `${standing ? 'CERTIFIED' : 'NOT IN FORCE'}</text></g>`
  )
}
