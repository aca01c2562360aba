/**
 * Where to send someone after signing in: only a path on this site, decided here for every path that
 * redirects after sign-in (password, second factor, SSO SP- and IdP-initiated, invitations). An open
 * redirect would make sign-in a phishing tool. Browsers drop tabs and line breaks from URLs and read
 * backslashes as slashes, so "/\t/evil.example" means //evil.example: any control or invisible
 * character and any backslash is refused, and the path is resolved and re-serialised on a dummy origin.
 */
// C0/C1 controls, backslash, Unicode spaces, format characters and slash look-alikes.
const SUSPECT = new RegExp(
  '[\\u0000-\\u001f\\u007f-\\u009f\\\\\\u00a0\\u1680\\u2000-\\u200f\\u2028-\\u202f\\u205f-\\u206f\\u3000\\ufeff' +
    '\\u2044\\u2215\\u29f8\\uff0f\\uff3c]',
)

export function safeRedirect(to: unknown, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.length > 2048) return fallback
  let decoded: string
  try {
    decoded = decodeURIComponent(to)
  } catch {
    return fallback
  }
  // Checked as sent and decoded once more: some servers and proxies decode "/%2F%2Fevil" to "///evil".
  if (SUSPECT.test(to) || SUSPECT.test(decoded) || decoded.startsWith('//')) return fallback
  const base = 'http://same-origin.invalid'
  let url: URL
  try {
    url = new URL(to, base)
  } catch {
    return fallback
  }
  if (url.origin !== base) return fallback
  const path = `${url.pathname}${url.search}${url.hash}`
  return path.startsWith('/') && !path.startsWith('//') ? path : fallback
}
