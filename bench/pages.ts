import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { withScratchDatabase } from './support.ts'
import { load, type LoadResult, type Target } from './lib/load.ts'
import { timeByModule, topFrames } from './lib/cpu-profile-top.ts'

// Signed-in pages against the sign-in page (issue 31): the production build served by production's
// entry point (server/main.ts, as the demo runs it) on its own database seeded with the demo's data
// (seeds/run.ts), each role's menu pages at 50 clients for a few seconds, /login before and after in
// the same run. Prints req/s, p50/p99, each page's time per request as a ratio to /login's, and the
// server process's resident memory. `--soak` then drives 200 clients over every page and prints RSS
// over time. `--profile DIR` runs the server under `node --cpu-prof` and prints its top frames.
//
//   npm run bench -- pages [--seconds 5] [--clients 50] [--only portal] [--soak [--soak-seconds 600]]
const { values: o } = parseArgs({
  args: process.argv.slice(2),
  options: {
    seconds: { type: 'string', default: process.env.BENCH_PAGE_SECONDS ?? '5' },
    clients: { type: 'string', default: '50' },
    only: { type: 'string' },
    soak: { type: 'boolean', default: false },
    'soak-seconds': { type: 'string', default: '600' },
    'soak-clients': { type: 'string', default: '200' },
    profile: { type: 'string' },
  },
})
const SECONDS = Number(o.seconds)
const CLIENTS = Number(o.clients)

const buildPath = path.resolve('build/server/index.js')
if (!existsSync(buildPath)) {
  console.error('bench pages: no production build; run `npm run build` first.')
  process.exit(1)
}

// Who signs in, in this order: a page two roles share is measured once, for the first of them.
const people = [
  'admin@northwind.example',
  'finance@northwind.example',
  'engineer@northwind.example',
  'admin@helix.example',
  'learner@helix.example',
  'contributor@ggml.example',
  'admin@ggml.example',
  'finance@ggml.example',
  'partners@ggml.example',
  'services@ggml.example',
  'consultant@ggml.example',
  'instructor@ggml.example',
  'certification@ggml.example',
]

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })

const kb = (pid: number, field: 'VmRSS' | 'VmHWM') => {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) : NaN
}
const mb = (k: number) => `${(k / 1024).toFixed(0)} MB`

const dataDir = mkdtempSync(path.join(tmpdir(), 'ggml-bench-pages-'))
process.env.DATA_DIR = dataDir

await withScratchDatabase(async (_db, url) => {
  process.env.DATABASE_URL = url
  const webPort = await freePort()
  const base = `http://127.0.0.1:${webPort}`
  const shared = {
    ...process.env,
    DATABASE_URL: url,
    DATA_DIR: dataDir,
    NODE_ENV: 'production',
    DEMO: 'true',
    APP_URL: base,
  }

  let started = performance.now()
  const seed = spawnSync(process.execPath, ['--import', 'tsx', 'seeds/run.ts'], {
    env: { ...shared, PORT: String(await freePort()), LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  })
  if (seed.status !== 0) throw new Error(`seeding failed:\n${seed.stdout}\n${seed.stderr}`)
  console.log(`seeded the demo's data in ${((performance.now() - started) / 1000).toFixed(0)} s`)

  const nodeArgs = o.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(o.profile)}`] : []
  const server: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'server/main.ts'], {
    // The demo's web process: production build, request logs at info, the worker in its own process.
    env: { ...shared, PORT: String(webPort), WORKER_IN_PROCESS: 'false', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let serverErr = ''
  server.stderr!.on('data', (d: Buffer) => (serverErr = (serverErr + d.toString()).slice(-4000)))
  const pid = server.pid!
  try {
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
      if (ok) break
      if (i > 240 || server.exitCode !== null) throw new Error(`the server did not come up:\n${serverErr}`)
      await new Promise((r) => setTimeout(r, 500))
    }
    console.log(`server pid ${pid} up at ${base}, RSS ${mb(kb(pid, 'VmRSS'))}`)

    // Each person signs in as a browser does and reads their menu.
    const { HttpClient } = await import('../tests/support/http-client.ts')
    const targets: (Target & { who: string })[] = []
    for (const email of people) {
      const client = new HttpClient(base)
      await client.signIn(email, 'ggml-demo-2026')
      const home = await client.get('/')
      const landing = home.headers.get('location') ?? '/'
      const html = await (await client.get(landing)).text()
      const nav = /<nav aria-label="Main">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? ''
      const paths = [landing, ...[...nav.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]!)]
      for (const p of new Set(paths)) {
        if (p === '/logout' || targets.some((t) => t.path === p)) continue
        if (o.only && !p.includes(o.only)) continue
        targets.push({ path: p, cookie: client.cookieHeader(), who: email })
      }
    }

    const line = (label: string, r: LoadResult, baseline?: number) => {
      const rate = r.requests / r.seconds
      const ratio = baseline ? `${(baseline / rate).toFixed(2)}×` : 'baseline'
      const failed = r.failures ? `  ${r.failures} failed (${r.firstFailure})` : ''
      console.log(
        `  ${label.padEnd(58)} ${rate.toFixed(0).padStart(6)} /s  p50 ${r.p50Ms.toFixed(0).padStart(5)} ms` +
          `  p99 ${r.p99Ms.toFixed(0).padStart(5)} ms  ${ratio.padStart(8)}  RSS ${mb(kb(pid, 'VmRSS'))}${failed}`,
      )
    }
    const opts = { clients: CLIENTS, seconds: SECONDS }
    // A short warm-up so the first page measured does not pay for JIT and the pool filling.
    await load(base, [{ path: '/login', cookie: '' }, ...targets], { clients: CLIENTS, seconds: 3 })
    console.log(`\npages: ${CLIENTS} clients, ${SECONDS} s each, time per request as a multiple of /login's`)
    const before = await load(base, [{ path: '/login', cookie: '' }], opts)
    line('/login (signed out, before the pages)', before)
    const loginRate = before.requests / before.seconds
    let failed = 0
    for (const t of targets) {
      const r = await load(base, [t], opts)
      failed += r.failures
      line(`${t.path} (${t.who.replace('.example', '')})`, r, loginRate)
    }
    const after = await load(base, [{ path: '/login', cookie: '' }], opts)
    line('/login (signed out, after the pages)', after, loginRate)
    console.log(`  server peak RSS (VmHWM) ${mb(kb(pid, 'VmHWM'))}`)

    if (o.soak) {
      const soakSeconds = Number(o['soak-seconds'])
      const soakClients = Number(o['soak-clients'])
      const every = Math.max(5, Math.round(soakSeconds / 20))
      console.log(`\nsoak: ${soakClients} clients over every page and /login for ${soakSeconds} s; RSS every ${every} s`)
      const soakTargets = [{ path: '/login', cookie: '' }, ...targets]
      for (let t = 0; t < soakSeconds; t += every) {
        const r = await load(base, soakTargets, { clients: soakClients, seconds: Math.min(every, soakSeconds - t) })
        failed += r.failures
        console.log(
          `  ${String(t + every).padStart(5)} s  RSS ${mb(kb(pid, 'VmRSS')).padStart(7)}  ${(r.requests / r.seconds).toFixed(0).padStart(5)} /s` +
            `  p99 ${r.p99Ms.toFixed(0).padStart(5)} ms${r.failures ? `  ${r.failures} failed (${r.firstFailure})` : ''}`,
        )
      }
      // Idle for a moment: what stays resident once the load stops.
      await new Promise((r) => setTimeout(r, 5000))
      console.log(`  idle 5 s after: RSS ${mb(kb(pid, 'VmRSS'))}, peak ${mb(kb(pid, 'VmHWM'))}`)
    }
    if (failed) throw new Error(`${failed} requests were not answered 200: those pages were not measured`)
  } finally {
    const exited = new Promise((r) => server.once('exit', r))
    server.kill('SIGTERM')
    await exited
    rmSync(dataDir, { recursive: true, force: true })
  }
  if (o.profile) {
    const dir = path.resolve(o.profile)
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(dir, f))
      .sort()
      .pop()
    if (file) {
      console.log(`\nserver CPU profile ${file}: top frames by own time`)
      for (const l of topFrames(file)) console.log(`  ${l}`)
      console.log('by package or folder')
      for (const l of timeByModule(file)) console.log(`  ${l}`)
    }
  }
})
process.exit(0)
