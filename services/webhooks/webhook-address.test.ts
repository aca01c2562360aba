import { describe, expect, it } from 'vitest'
import { endpointUrlProblem, guardedLookup, isPrivateAddress } from './webhook-address.ts'

describe('where a webhook may be sent', () => {
  it('knows private, loopback and link-local addresses, mapped IPv4 included', () => {
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '::1',
      'fd00::1',
      '::ffff:10.0.0.1',
      '0.0.0.0',
      // Other spellings that wrap 127.0.0.1 or reach an inner network (attack review, issue 32).
      '::7f00:1',
      '::ffff:0:7f00:1',
      '64:ff9b:1::a00:1',
      'fec0::1',
      '::',
    ])
      expect(isPrivateAddress(ip), ip).toBe(true)
    for (const ip of [
      '93.184.216.34',
      '8.8.8.8',
      '2606:4700::1111',
      '172.32.0.1',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
    ])
      expect(isPrivateAddress(ip), ip).toBe(false)
  })

  it('in a deployment takes only https URLs to public hosts; locally http and loopback too', () => {
    expect(endpointUrlProblem('https://erp.example.com/hooks', true)).toBeNull()
    expect(endpointUrlProblem('http://erp.example.com/hooks', true)).toMatch(/https/)
    expect(endpointUrlProblem('https://127.0.0.1/hooks', true)).toMatch(/private/)
    expect(endpointUrlProblem('https://[::1]/hooks', true)).toMatch(/private/)
    expect(endpointUrlProblem('https://localhost/hooks', true)).toMatch(/private/)
    expect(endpointUrlProblem('https://user:pw@erp.example.com/', true)).toMatch(/credentials/)
    expect(endpointUrlProblem('not a url', true)).toMatch(/full URL/)
    expect(endpointUrlProblem('http://127.0.0.1:8080/hooks', false)).toBeNull()
    expect(endpointUrlProblem('ftp://erp.example.com/', false)).toMatch(/https/)
  })
})

describe('the send-time lookup', () => {
  it('refuses a name that resolves to a private address in a deployment, and lets it through locally', async () => {
    const resolve = (deployment: boolean) =>
      new Promise<string>((ok, fail) =>
        guardedLookup(deployment)('localhost', {}, (err, address) => (err ? fail(err) : ok(String(address)))),
      )
    await expect(resolve(true)).rejects.toMatchObject({ code: 'EPRIVATEADDRESS' })
    expect(await resolve(false)).toMatch(/^(127\.0\.0\.1|::1)$/)
  })
})
