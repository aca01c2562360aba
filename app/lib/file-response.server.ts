/**
 * A file served back. Uploaded or third-party content (spec sheets, signed agreements) goes out as an
 * attachment under a sandboxing Content-Security-Policy, so a crafted PDF or SVG never runs as a page
 * of ours; only what we render ourselves (statements) is shown inline.
 */
export function fileResponse(
  body: Uint8Array | string,
  opts: {
    contentType: string
    filename: string
    disposition?: 'attachment' | 'inline'
    cache?: 'private' | 'public'
    headers?: Record<string, string>
  },
): Response {
  const ascii = opts.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')
  const disposition = `${opts.disposition ?? 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(
    opts.filename,
  )}`
  return new Response(typeof body === 'string' ? body : new Uint8Array(body), {
    headers: {
      'Content-Type': opts.contentType,
      'Content-Disposition': disposition,
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': opts.cache === 'public' ? 'public, max-age=300' : 'private, no-store',
      ...opts.headers,
    },
  })
}
