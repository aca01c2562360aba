import { createHmac, timingSafeEqual } from 'node:crypto'

// Signed the way Stripe signs (https://docs.stripe.com/webhooks#verify-manually): the header
// `GGML-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, so a receiver can
// reuse the code it already has and refuse replays older than its tolerance.

export const SIGNATURE_HEADER = 'GGML-Signature'

export const signatureOf = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')

/**
 * One v1 entry per secret: during a rotation's overlap the new secret's and the old one's, as Stripe
 * signs while a rolled secret still lives, so a receiver that holds either verifies.
 */
export const signatureHeader = (secrets: string | readonly string[], timestamp: number, body: string): string =>
  [`t=${timestamp}`, ...[secrets].flat().map((s) => `v1=${signatureOf(s, timestamp, body)}`)].join(',')

/** What a receiver does: true when one v1 signature matches and the timestamp is within tolerance. */
export function verifyWebhookSignature(
  header: string,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = header.split(',').map((p): [string, string | undefined] => {
    const [k = '', v] = p.split('=', 2)
    return [k, v]
  })
  const t = Number(parts.find(([k]) => k === 't')?.[1])
  if (!Number.isSafeInteger(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex')
  return parts.some(([k, v]) => {
    if (k !== 'v1' || v === undefined || !/^[0-9a-f]{64}$/.test(v)) return false
    return timingSafeEqual(Buffer.from(v, 'hex'), expected)
  })
}
