import { lookup as dnsLookup, type LookupAddress } from 'node:dns'
import { BlockList, isIP } from 'node:net'
import { env, isDeployment } from '../platform/config/env.ts'

// Where a webhook may be sent (issue 32): never to a private, loopback or link-local address, which
// would let a partner's URL reach our own network. The check runs in the socket's own DNS lookup, at
// send time, so a name that resolved to a public address when registered and to 10.0.0.1 now (DNS
// rebinding) is refused on the connection itself.

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['192.0.2.0', 24],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 3],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  // IPv4-compatible (::a.b.c.d, deprecated) and IPv4-translated (::ffff:0:a.b.c.d, SIIT): each wraps an
  // IPv4 address, a private one included, that the mapped-address rule does not see.
  ['::', 96],
  ['::ffff:0:0:0', 96],
  // NAT64's local-use prefix (RFC 8215) reaches whatever IPv4 network its translator sits in.
  ['64:ff9b:1::', 48],
  ['100::', 64],
  // 6to4 wraps any IPv4 address, a private one included.
  ['2002::', 16],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  // Site-local: deprecated, still routed inside some networks.
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6')

/** A private, loopback, link-local, multicast or otherwise non-public address (an IPv4-mapped one too). */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1]
  if (mapped) return isPrivateAddress(mapped)
  // NAT64's well-known prefix reaches the IPv4 address in its last 32 bits: judge that one.
  const nat64 = /^64:ff9b::([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip)
  if (nat64) {
    const [hi, lo] = [parseInt(nat64[1]!, 16), parseInt(nat64[2]!, 16)]
    return isPrivateAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`)
  }
  const family = isIP(ip)
  if (family === 0) return true
  return blocked.check(ip, family === 4 ? 'ipv4' : 'ipv6')
}

/** Why a URL cannot be an endpoint, or null. `deployment`: only https, only names or public addresses. */
export function endpointUrlProblem(url: string, deployment: boolean): string | null {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return 'Enter a full URL, like https://erp.example.com/ggml/webhooks.'
  }
  if (u.username || u.password) return 'Put no credentials in the URL: verify our signature instead.'
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && !deployment)) return 'The URL must start with https://.'
  const host = u.hostname.replace(/^\[|\]$/g, '')
  if (deployment && (host === 'localhost' || (isIP(host) && isPrivateAddress(host))))
    return 'The URL must reach a public address, not a private or loopback one.'
  return null
}

/**
 * Whether endpoints may be http or private (development, tests, the demo's local receivers). A
 * deployment never: the environment refuses WEBHOOKS_ALLOW_LOCAL=true there.
 */
export const localEndpointsAllowed = (): boolean => env().WEBHOOKS_ALLOW_LOCAL ?? !isDeployment()

/**
 * The send-time check of the URL itself, before any socket: the scheme, and an address written as an
 * IP literal (the socket looks no name up for one, so the guarded lookup never sees it). A URL stored
 * before a rule tightened, or written around the form, is refused here all the same.
 */
export function sendTimeProblem(url: URL, allowLocal: boolean): string | null {
  if (allowLocal) return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'not an http(s) URL'
  if (url.protocol !== 'https:') return 'only https:// endpoints are sent to'
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (isIP(host) && isPrivateAddress(host)) return `${host} is a private address`
  return null
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void

/** A socket lookup that refuses private addresses when `deployment` (the send-time check). */
export function guardedLookup(deployment: boolean) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, [])
      const list = typeof addresses === 'string' ? [{ address: addresses, family: 0 }] : addresses
      const refused = deployment ? list.find((a) => isPrivateAddress(a.address)) : undefined
      if (refused) {
        const e: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private address (${refused.address})`)
        e.code = 'EPRIVATEADDRESS'
        return callback(e, [])
      }
      if ('all' in options && options.all) return callback(null, list)
      return callback(null, list[0]!.address, list[0]!.family)
    })
  }
}
