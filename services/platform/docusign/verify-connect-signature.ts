import { createHmac, timingSafeEqual } from 'node:crypto'

/** DocuSign Connect's HMAC: base64(HMAC-SHA256(key, raw body)) in X-DocuSign-Signature-1..n. */
export function connectSignature(key: string, body: Buffer | string): string {
  return createHmac('sha256', key).update(body).digest('base64')
}

export function verifyConnectSignature(body: Buffer, headers: Headers, keys: string[]): boolean {
  const provided: string[] = []
  for (let i = 1; i <= 100; i++) {
    const h = headers.get(`x-docusign-signature-${i}`)
    if (!h) break
    provided.push(h)
  }
  return provided.some((sig) =>
    keys.some((key) => {
      const expected = Buffer.from(connectSignature(key, body))
      const given = Buffer.from(sig)
      return expected.length === given.length && timingSafeEqual(expected, given)
    }),
  )
}
