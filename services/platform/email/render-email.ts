import { appUrl } from '../config/env.ts'
import { issuer } from '../documents/issuer.ts'

const escapeHtml = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

export interface RenderedEmail {
  subject: string
  text: string
  html: string
}

// ggml's palette (app/styles/app.css): ink, the mark's lit diagonal, its other cells, page and muted text.
const INK = '#0d1b2a'
const ACCENT = '#ff8a3d'
const CELL = '#5b8fd1'
const PAGE = '#f6f7f9'
const MUTED = '#57606a'

/**
 * ggml's mark (the 3×3 tensor with its diagonal lit) as a table of cells: mail clients drop inline SVG
 * and block images by default, but every one of them draws a table's background colours.
 */
const logoMark = () => {
  const cell = (lit: boolean) =>
    `<td width="8" height="8" style="width:8px;height:8px;padding:0;font-size:0;line-height:0;` +
    `background:${lit ? ACCENT : CELL};border-radius:${lit ? 4 : 2}px${lit ? '' : ';opacity:.55'}">&nbsp;</td>`
  const rows = [0, 1, 2].map((r) => `<tr>${[0, 1, 2].map((c) => cell(r === c)).join('')}</tr>`).join('')
  return (
    `<table role="presentation" cellpadding="0" cellspacing="2" ` +
    `style="background:${INK};border-radius:7px;padding:3px;border-collapse:separate">${rows}</table>`
  )
}

/**
 * The one layout of the platform's mail (issue 28): ggml's mark and name in a band of its ink, the
 * paragraphs, at most one call to action as a button, and a footer with ggml's legal entity and address.
 * The plain-text part says the same without the frame.
 */
export function renderEmail(
  subject: string,
  paragraphs: string[],
  action?: { label: string; url: string },
): RenderedEmail {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : [])].join('\n\n')
  const i = issuer()
  const font = `font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif`
  const body = paragraphs.map((p) => `<p style="margin:0 0 16px">${escapeHtml(p)}</p>`).join('')
  const button = action
    ? `<p style="margin:24px 0 8px"><a href="${escapeHtml(action.url)}" style="display:inline-block;` +
      `background:${INK};color:#ffffff;text-decoration:none;font-weight:600;padding:10px 18px;` +
      `border-radius:8px;border-bottom:3px solid ${ACCENT}">${escapeHtml(action.label)}</a></p>`
    : ''
  const footer =
    `${escapeHtml(i.legalName)} · ${i.addressLines.map(escapeHtml).join(', ')}<br>` +
    `<a href="${escapeHtml(appUrl())}" style="color:${MUTED}">ggml.ai partner platform</a> · ` +
    `<a href="mailto:${escapeHtml(i.email)}" style="color:${MUTED}">${escapeHtml(i.email)}</a>`
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>` +
    `<body style="margin:0;padding:0;background:${PAGE};${font};line-height:1.5;color:#1b1f24">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:${PAGE}">` +
    `<tr><td align="center" style="padding:24px 12px">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" ` +
    `style="max-width:560px;background:#ffffff;border-radius:10px;overflow:hidden">` +
    `<tr><td style="background:${INK};padding:16px 24px;border-bottom:3px solid ${ACCENT}">` +
    `<table role="presentation" cellpadding="0" cellspacing="0"><tr><td>${logoMark()}</td>` +
    `<td style="padding-left:10px;${font};font-size:20px;font-weight:700;color:#ffffff">` +
    `ggml<span style="color:${ACCENT}">.ai</span></td></tr></table></td></tr>` +
    `<tr><td style="padding:24px;font-size:16px">${body}${button}</td></tr>` +
    `<tr><td style="padding:16px 24px;border-top:1px solid #d0d7de;font-size:12px;color:${MUTED}">${footer}` +
    `</td></tr></table></td></tr></table></body></html>`
  return { subject, text, html }
}
