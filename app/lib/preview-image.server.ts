/**
 * A credential's preview image (Open Graph) as a response: cached by anyone for five minutes, as the badge
 * SVG is, then revalidated by its ETag, so a revocation reaches previews within minutes.
 */
export function previewImageResponse(request: Request, image: { png: Buffer; etag: string }): Response {
  const headers = {
    'Cache-Control': 'public, max-age=300',
    ETag: image.etag,
    'X-Content-Type-Options': 'nosniff',
  }
  const seen = request.headers.get('If-None-Match')
  if (seen && seen.split(',').some((tag) => tag.trim().replace(/^W\//, '') === image.etag))
    return new Response(null, { status: 304, headers })
  return new Response(new Uint8Array(image.png), { headers: { ...headers, 'Content-Type': 'image/png' } })
}
