import { nextCodeFor } from './second-factor.ts'

/** A browser-like HTTP client: keeps cookies, sends the CSRF token and Origin with every post. */
export class HttpClient {
  private cookies = new Map<string, string>()

  constructor(readonly baseUrl: string) {}

  /** The Cookie header this client sends (a load generator reuses it). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private remember(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const i = pair!.indexOf('=')
      const name = pair!.slice(0, i).trim()
      const value = pair!.slice(i + 1).trim()
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name)
  }

  /** The CSRF token as forms carry it: the cookie value, decoded as React Router serializes it. */
  csrfToken(): string {
    const raw = this.cookies.get('__csrf')
    if (!raw) throw new Error('No CSRF cookie yet: GET a page first')
    return JSON.parse(Buffer.from(decodeURIComponent(raw), 'base64').toString('utf8')) as string
  }

  /** Sent with every request (an API token, say). */
  headers: Record<string, string> = {}

  async get(path: string): Promise<Response> {
    const res = await fetch(new URL(path, this.baseUrl), {
      headers: { ...this.headers, Cookie: this.cookieHeader() },
      redirect: 'manual',
    })
    this.remember(res)
    return res
  }

  async post(
    path: string,
    fields: Record<string, string>,
    opts: { csrf?: string | null; origin?: string } = {},
  ): Promise<Response> {
    if (!this.cookies.has('__csrf') && opts.csrf === undefined) await this.get('/login')
    const body = new URLSearchParams(fields)
    const token = opts.csrf === undefined ? this.csrfToken() : opts.csrf
    if (token !== null) body.set('csrf', token)
    const res = await fetch(new URL(path, this.baseUrl), {
      method: 'POST',
      headers: {
        ...this.headers,
        Cookie: this.cookieHeader(),
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: opts.origin ?? this.baseUrl,
      },
      body,
      redirect: 'manual',
    })
    this.remember(res)
    return res
  }

  /** A multipart form post, as a form with file inputs sends it. */
  async postMultipart(
    path: string,
    fields: Record<string, string>,
    files: Record<string, { name: string; type: string; bytes: Uint8Array }>,
  ): Promise<Response> {
    if (!this.cookies.has('__csrf')) await this.get('/login')
    const body = new FormData()
    for (const [k, v] of Object.entries(fields)) body.set(k, v)
    body.set('csrf', this.csrfToken() ?? '')
    for (const [k, f] of Object.entries(files))
      body.set(k, new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type }), f.name)
    const res = await fetch(new URL(path, this.baseUrl), {
      method: 'POST',
      headers: { ...this.headers, Cookie: this.cookieHeader(), Origin: this.baseUrl },
      body,
      redirect: 'manual',
    })
    this.remember(res)
    return res
  }

  async signIn(email: string, password: string): Promise<Response> {
    await this.get('/login')
    let res = await this.post('/login', { email, password })
    if (res.status !== 302) throw new Error(`Sign-in as ${email} failed with ${res.status}: ${await res.text()}`)
    // Staff (and members of organizations that require it) type their authenticator's code next.
    if (res.headers.get('location')?.startsWith('/login/two-factor')) {
      await (await this.get(res.headers.get('location')!)).arrayBuffer()
      res = await this.post('/login/two-factor', { code: await nextCodeFor(email), redirectTo: '/' })
      if (res.status !== 302)
        throw new Error(`Second factor of ${email} failed with ${res.status}: ${await res.text()}`)
    }
    // Like a browser, land on the page it redirects to: that is where the new session's CSRF token is issued.
    await (await this.get(res.headers.get('location') ?? '/')).arrayBuffer()
    return res
  }
}
