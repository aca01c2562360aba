import { DOMParser } from '@xmldom/xmldom'
import { SamlRefusal } from './saml-refusal.ts'

/** Base64 characters of the largest SAMLResponse we read (about 190 KB of XML); refused before decoding. */
export const MAX_SAML_RESPONSE_BASE64 = 256 * 1024

const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
}

/** SHA-256 or stronger, RSA or ECDSA; never SHA-1, never HMAC (a shared secret anyone with metadata knows). */
export const ALLOWED_SIGNATURE_METHODS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384',
  'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512',
])
export const ALLOWED_DIGEST_METHODS = new Set([
  'http://www.w3.org/2001/04/xmlenc#sha256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384',
  'http://www.w3.org/2001/04/xmlenc#sha512',
])

type Node = { nodeType: number; childNodes?: ArrayLike<Node> }

/** What countComments reads of a node: xmldom's and the DOM's nodes both have it. */
interface TreeNode {
  nodeType: number
  childNodes: ArrayLike<TreeNode> | null
}

function countComments(node: TreeNode): number {
  let n = node.nodeType === 8 ? 1 : 0
  const kids = node.childNodes
  if (kids) for (let i = 0; i < kids.length; i++) n += countComments(kids[i]!)
  return n
}

/**
 * The checks made on a SAMLResponse before any signature is looked at, each refusing with its
 * reason: a size cap, no DOCTYPE (no entities), well-formed XML, no comments anywhere (the NameID and
 * DigestValue comment tricks), exactly one Response holding exactly one plain Assertion (every XML
 * signature wrapping variant adds a second Response or Assertion), no EncryptedAssertion, exactly one
 * SignedInfo per Signature, and strong algorithms only. Returns the parsed Response element.
 */
export function screenSamlResponse(base64: string): Element {
  if (base64.length > MAX_SAML_RESPONSE_BASE64)
    throw new SamlRefusal('oversize', `SAMLResponse of ${base64.length} base64 characters`)
  if (!/^[A-Za-z0-9+/=\s]+$/.test(base64)) throw new SamlRefusal('malformed', 'SAMLResponse is not base64')
  const xml = Buffer.from(base64, 'base64').toString('utf8')
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new SamlRefusal('doctype', 'a DOCTYPE or ENTITY declaration')
  const errors: string[] = []
  const doc = new DOMParser({
    errorHandler: (level: string, msg: string) => {
      if (level !== 'warning') errors.push(msg)
    },
  }).parseFromString(xml, 'text/xml')
  if (errors.length || !doc?.documentElement) throw new SamlRefusal('malformed', errors[0] ?? 'no document element')
  const root = doc.documentElement
  if (root.localName !== 'Response' || root.namespaceURI !== NS.protocol)
    throw new SamlRefusal('not_a_response', `root element ${root.nodeName}`)
  if (countComments(doc) > 0) throw new SamlRefusal('xml_comment', 'an XML comment')
  const all = (ns: string, name: string) => Array.from(doc.getElementsByTagNameNS(ns, name))
  if (all(NS.protocol, 'Response').length !== 1) throw new SamlRefusal('multiple_responses', 'more than one Response')
  // A failure, signed or not, signs nobody in: refused before anything else is read from it.
  const status = all(NS.protocol, 'StatusCode')[0]?.getAttribute('Value')
  if (status !== 'urn:oasis:names:tc:SAML:2.0:status:Success')
    throw new SamlRefusal('idp_status', `status ${status ?? 'missing'}`)
  if (all(NS.assertion, 'EncryptedAssertion').length > 0)
    throw new SamlRefusal('encrypted_assertion', 'an EncryptedAssertion (this service provider takes none)')
  const assertions = all(NS.assertion, 'Assertion')
  if (assertions.length !== 1) throw new SamlRefusal('assertion_count', `${assertions.length} assertions`)
  if (assertions[0]!.parentNode !== root)
    throw new SamlRefusal('assertion_count', 'the assertion is not the Response’s child')
  for (const sig of all(NS.dsig, 'Signature')) {
    const signedInfo = Array.from(sig.getElementsByTagNameNS(NS.dsig, 'SignedInfo'))
    if (signedInfo.length !== 1) throw new SamlRefusal('signed_info_count', `${signedInfo.length} SignedInfo elements`)
    const methods = Array.from(signedInfo[0]!.getElementsByTagNameNS(NS.dsig, 'SignatureMethod'))
    if (methods.length !== 1 || !ALLOWED_SIGNATURE_METHODS.has(methods[0]!.getAttribute('Algorithm') ?? ''))
      throw new SamlRefusal('weak_algorithm', `signature method ${methods[0]?.getAttribute('Algorithm') ?? 'missing'}`)
    for (const d of Array.from(signedInfo[0]!.getElementsByTagNameNS(NS.dsig, 'DigestMethod')))
      if (!ALLOWED_DIGEST_METHODS.has(d.getAttribute('Algorithm') ?? ''))
        throw new SamlRefusal('weak_algorithm', `digest method ${d.getAttribute('Algorithm')}`)
  }
  return root
}
