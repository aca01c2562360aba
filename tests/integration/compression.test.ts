import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAppServer } from '../support/app-server.ts'

let server: Awaited<ReturnType<typeof startAppServer>>
beforeAll(async () => {
  server = await startAppServer()
})
afterAll(() => server.close())

/** Raw bytes on the wire (fetch would decompress them and hide what was sent). */
function wire(path: string, acceptEncoding: string) {
  return new Promise<{ status: number; encoding: string | null; bytes: number }>((resolve, reject) => {
    http
      .get(`${server.url}${path}`, { headers: { 'Accept-Encoding': acceptEncoding } }, (res) => {
        let bytes = 0
        res.on('data', (c: Buffer) => (bytes += c.length))
        res.on('end', () =>
          resolve({ status: res.statusCode!, encoding: (res.headers['content-encoding'] as string) ?? null, bytes }),
        )
      })
      .on('error', reject)
  })
}

describe('compression (issues 28 and 31)', () => {
  it('compresses pages and scripts (brotli, else gzip) as the browser accepts; not small answers', async () => {
    const page = await wire('/login', 'br, gzip')
    expect(page).toMatchObject({ status: 200, encoding: 'br' })
    expect((await wire('/login', 'gzip')).encoding).toBe('gzip')
    expect((await wire('/login', 'identity')).encoding).toBeNull()
    // The client entry the page loads: compressed to a fraction of its size.
    const html = await (await fetch(`${server.url}/login`)).text()
    const script = html.match(/\/assets\/entry\.client-[\w-]+\.js/)?.[0] ?? html.match(/\/assets\/[\w.-]+\.js/)![0]
    const plain = await wire(script, 'identity')
    const br = await wire(script, 'br')
    expect(br.encoding).toBe('br')
    expect(br.bytes).toBeLessThan(plain.bytes / 2)
    // Under the 1 kB threshold it is not worth the work.
    expect((await wire('/livez', 'br')).encoding).toBeNull()
  })
})
