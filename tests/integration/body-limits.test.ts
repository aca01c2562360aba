import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer } from '../support/app-server.ts'
import { createOrganization, createUser } from '../support/fixtures.ts'
import { HttpClient } from '../support/http-client.ts'

// Issue 24 (operator review): a signed-in person could send 150 MB to any page action, which reads its form
// into memory; anyone who can sign up could exhaust a machine. Only the report upload streams that much.
let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

/** A declared body of `bytes`, of which only the head is sent: the server must refuse on the header. */
function declared(path: string, cookie: string, bytes: number) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        Cookie: cookie,
        Origin: server.url,
        'Content-Type': 'multipart/form-data; boundary=x',
        'Content-Length': String(bytes),
      },
    })
    req.on('response', (res) => {
      let body = ''
      res.on('data', (c: Buffer) => (body += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
    })
    req.on('error', reject)
    req.write('--x\r\n')
  })
}

describe('body limits by route', () => {
  it('a page action takes at most 40 MB from a signed-in person; the report upload 150 MB', async () => {
    const org = await createOrganization('oem_partner')
    const admin = await createUser(org.id, 'partner_admin')
    const client = new HttpClient(server.url)
    await client.signIn(admin.email, admin.password)
    const cookie = ['__csrf', '__session'].map((n) => `${n}=${client.cookie(n)}`).join('; ')
    const team = await declared(`/portal/${org.slug}/team`, cookie, 50_000_000)
    expect(team.status).toBe(413)
    expect(team.body).toContain('This form is larger than 40 MB')
    const reports = await declared(`/portal/${org.slug}/reports`, cookie, 160_000_000)
    expect(reports.status).toBe(413)
    expect(reports.body).toContain('larger than 150 MB')
  })
})
