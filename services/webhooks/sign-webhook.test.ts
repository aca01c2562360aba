import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { signatureHeader, verifyWebhookSignature } from './sign-webhook.ts'

describe('webhook signatures, as Stripe signs', () => {
  const secret = 'whsec_test'
  const body = '{"id":"evt_1","type":"report.posted"}'

  it('signs "<t>.<body>" with HMAC-SHA256, hex, in t=…,v1=…', () => {
    // The oracle: the documented recipe, computed here independently.
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex')
    expect(signatureHeader(secret, 1700000000, body)).toBe(`t=1700000000,v1=${expected}`)
  })

  it('verifies its own signature within the tolerance, and nothing else', () => {
    const header = signatureHeader(secret, 1700000000, body)
    expect(verifyWebhookSignature(header, body, secret, 1700000100)).toBe(true)
    expect(verifyWebhookSignature(header, body, secret, 1700000400)).toBe(false) // a replay, too late
    expect(verifyWebhookSignature(header, `${body} `, secret, 1700000000)).toBe(false)
    expect(verifyWebhookSignature(header, body, 'whsec_other', 1700000000)).toBe(false)
    expect(verifyWebhookSignature(header.replace('t=1700000000', 't=1700000001'), body, secret, 1700000000)).toBe(false)
    expect(verifyWebhookSignature('t=1700000000,v1=zz', body, secret, 1700000000)).toBe(false)
  })
})

describe('a rotation’s overlap', () => {
  it('carries one v1 per secret, and each secret alone verifies', () => {
    const body = '{"id":"evt_2","type":"invoice.paid"}'
    const header = signatureHeader(['whsec_new', 'whsec_old'], 1700000000, body)
    expect(header.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2)
    expect(header).toContain(`v1=${createHmac('sha256', 'whsec_old').update(`1700000000.${body}`).digest('hex')}`)
    expect(verifyWebhookSignature(header, body, 'whsec_new', 1700000000)).toBe(true)
    expect(verifyWebhookSignature(header, body, 'whsec_old', 1700000000)).toBe(true)
    expect(verifyWebhookSignature(header, body, 'whsec_other', 1700000000)).toBe(false)
  })
})
