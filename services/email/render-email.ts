const escapeHtml = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

export interface RenderedEmail {
  subject: string
  text: string
  html: string
}

/** Plain, accessible mail: paragraphs and at most one call-to-action link. */
export function renderEmail(
  subject: string,
  paragraphs: string[],
  action?: { label: string; url: string },
): RenderedEmail {
  const text = [...paragraphs, ...(action ? [`${action.label}: ${action.url}`] : [])].join('\n\n')
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">${paragraphs
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join(
      '',
    )}${action ? `<p><a href="${escapeHtml(action.url)}">${escapeHtml(action.label)}</a></p>` : ''}</body></html>`
  return { subject, text, html }
}
