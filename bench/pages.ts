import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import path from 'node:path'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { migrate } from '../services/platform/db/migrate.ts'
import { load, type LoadResult, type Target } from './lib/load.ts'
import { timeByModule, topFrames } from './lib/cpu-profile-top.ts'

// Signed-in pages against the sign-in page (issue 31): the production build served by production's
// entry point (server/main.ts, as the demo runs it) on its own database seeded with the demo's data
// (seeds/run.ts), each role's menu pages at 50 clients for a few seconds, /login before and after in
// the same run. Prints req/s, p50/p99, each page's time per request as a ratio to /login's, and the
// server process's resident memory. The machine is shared and its load moves, so each page is compared
// with a /login run just before it, and the database's transactions per request (pg_stat_database)
// show how many statements a page costs whatever the load. `--soak` then drives 200 clients over every
// page and prints RSS over time. `--profile DIR` runs the server under `node --cpu-prof` and prints its
// top frames. Seeding takes minutes: the seeded database is kept as a template (and its DATA_DIR, which
// holds the keys its secrets are sealed with) for the same migrations and seeds; `--fresh` seeds anew.
//
//   npm run bench -- pages [--seconds 4] [--clients 50] [--only portal] [--soak [--soak-seconds 600]]
const { values: o } = parseArgs({
  args: process.argv.slice(2),
  options: {
    seconds: { type: 'string', default: process.env.BENCH_PAGE_SECONDS ?? '4' },
    fresh: { type: 'boolean', default: false },
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

// The seeded template is named after what decides its content: the migrations and the seeds.
const seedHash = createHash('sha256')
for (const dir of ['prisma/migrations', 'seeds'])
  for (const f of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (f.isFile()) seedHash.update(f.name).update(readFileSync(path.join(f.parentPath, f.name)))
const tag = seedHash.digest('hex').slice(0, 10)
const template = `ggml_bench_pages_seed_${tag}`
const dataDir = path.resolve(`.data/bench-pages-${tag}`)
process.env.DATA_DIR = dataDir
const ownerUrl = process.env.DATABASE_URL
if (!ownerUrl) throw new Error('bench pages: set DATABASE_URL to a PostgreSQL the bench may create databases in')
const at = (name: string) => Object.assign(new URL(ownerUrl), { pathname: `/${name}` }).toString()
const admin = new pg.Client({ connectionString: at('postgres') })
await admin.connect()
const exists = async (name: string) =>
  (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1

if (o.fresh || !(await exists(template))) {
  await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`)
  rmSync(dataDir, { recursive: true, force: true })
  mkdirSync(dataDir, { recursive: true })
  await admin.query(`CREATE DATABASE "${template}"`)
  await migrate(at(template))
  const started = performance.now()
  const seed = spawnSync(process.execPath, ['--import', 'tsx', 'seeds/run.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: at(template),
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    },
    encoding: 'utf8',
  })
  if (seed.status !== 0) {
    await admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`)
    throw new Error(`seeding failed:\n${seed.stdout}\n${seed.stderr}`)
  }
  console.log(`seeded the demo's data in ${((performance.now() - started) / 1000).toFixed(0)} s (kept as ${template})`)
}
const name = `ggml_bench_pages_${randomBytes(4).toString('hex')}`
await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
const url = at(name)
process.env.DATABASE_URL = url
/** Transactions committed in the bench's database: one per statement outside a transaction. */
const transactions = async () => {
  // The statistics reach pg_stat_database when each backend flushes them, at most a second late.
  await new Promise((r) => setTimeout(r, 1100))
  const { rows } = await admin.query<{ n: string }>(
    'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = $1',
    [name],
  )
  return Number(rows[0]!.n)
}

{
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

    // Each person signs in as a browser does and reads their menu. A page whose route another person's
    // menu already gave (another organization's portal) is measured once.
    const { HttpClient } = await import('../tests/support/http-client.ts')
    const targets: (Target & { who: string })[] = []
    const routes = new Set<string>()
    for (const email of people) {
      const client = new HttpClient(base)
      await client.signIn(email, 'ggml-demo-2026')
      const home = await client.get('/')
      const landing = home.headers.get('location') ?? '/'
      const html = await (await client.get(landing)).text()
      const nav = /<nav aria-label="Main">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? ''
      const slugs = [...nav.matchAll(/href="\/(?:portal|learn)\/([^/"]+)/g)].map((m) => m[1]!)
      for (let p of new Set([landing, ...[...nav.matchAll(/href="(\/[^"]*)"/g)].map((m) => m[1]!)])) {
        if (p === '/logout') continue
        // A menu item that redirects (a contributor's /rewards to their account) is measured where it lands.
        const res = await client.get(p)
        await res.arrayBuffer()
        if (res.status === 302 && !res.headers.get('location')!.startsWith('/login')) p = res.headers.get('location')!
        const route = slugs.reduce((r, slug) => r.replaceAll(`/${slug}`, '/:org'), p)
        if (routes.has(route) || (o.only && !p.includes(o.only))) continue
        routes.add(route)
        targets.push({ path: p, cookie: client.cookieHeader(), who: email })
      }
    }

    const rateOf = (r: LoadResult) => r.requests / r.seconds
    const line = (label: string, r: LoadResult, statements: number, login?: LoadResult) => {
      const ratio = login ? `${(rateOf(login) / rateOf(r)).toFixed(2)}×` : ''
      const failed = r.failures ? `  ${r.failures} failed (${r.firstFailure})` : ''
      console.log(
        `  ${label.padEnd(54)} ${rateOf(r).toFixed(0).padStart(5)} /s  p50 ${r.p50Ms.toFixed(0).padStart(5)} ms` +
          `  p99 ${r.p99Ms.toFixed(0).padStart(5)} ms  ${ratio.padStart(6)}` +
          `  ${(statements / r.requests).toFixed(1).padStart(5)}` +
          `  ${mb(kb(pid, 'VmRSS')).padStart(7)}${failed}`,
      )
    }
    const opts = { clients: CLIENTS, seconds: SECONDS }
    const loginOpts = { clients: CLIENTS, seconds: Math.max(2, SECONDS / 2) }
    const login: Target = { path: '/login', cookie: '' }
    // A short warm-up so the first page measured does not pay for JIT and the pool filling.
    await load(base, [login, ...targets], { clients: CLIENTS, seconds: 3 })
    console.log(
      `\npages: ${CLIENTS} clients, ${SECONDS} s each; ratio: time per request as a multiple of /login's, ` +
        `measured just before it; stmts: database transactions per request; RSS of the server after`,
    )
    console.log(`  ${'page (who)'.padEnd(54)} ${'req/s'.padStart(7)}${' '.repeat(20)}  ratio  stmts      RSS`)
    let failed = 0
    const logins: LoadResult[] = []
    const rows: { path: string; rate: number; p99: number; ratio: number }[] = []
    let mark = await transactions()
    for (const t of targets) {
      const before = await load(base, [login], loginOpts)
      logins.push(before)
      mark = await transactions()
      const r = await load(base, [t], opts)
      const now = await transactions()
      failed += r.failures
      line(`${t.path} (${t.who.replace('.example', '')})`, r, now - mark, before)
      rows.push({ path: t.path, rate: rateOf(r), p99: r.p99Ms, ratio: rateOf(before) / rateOf(r) })
      mark = now
    }
    const loginRates = logins.map(rateOf).sort((a, b) => a - b)
    const median = <T>(xs: T[]) => xs[Math.floor(xs.length / 2)]
    const loginP99s = logins.map((l) => l.p99Ms).sort((a, b) => a - b)
    console.log(
      `  /login over the run: median ${median(loginRates)?.toFixed(0)} req/s (${loginRates[0]?.toFixed(0)} to ` +
        `${loginRates.at(-1)?.toFixed(0)}), p99 median ${median(loginP99s)?.toFixed(0)} ms`,
    )
    const ratios = rows.map((r) => r.ratio).sort((a, b) => a - b)
    const worst = [...rows].sort((a, b) => b.ratio - a.ratio).slice(0, 3)
    console.log(
      `  ratio median ${median(ratios)?.toFixed(2)}×, ` +
        `${rows.filter((r) => r.ratio <= 2).length} of ${rows.length} pages within 2×; ` +
        `slowest ${worst.map((w) => `${w.path} ${w.ratio.toFixed(2)}×`).join(', ')}`,
    )
    console.log(`  server peak RSS (VmHWM) ${mb(kb(pid, 'VmHWM'))}`)

    if (o.soak) {
      const soakSeconds = Number(o['soak-seconds'])
      const soakClients = Number(o['soak-clients'])
      const every = Math.max(5, Math.round(soakSeconds / 20))
      console.log(
        `\nsoak: ${soakClients} clients over every page and /login for ${soakSeconds} s; RSS every ${every} s`,
      )
      const soakTargets = [login, ...targets]
      // One run for the whole soak (chunks would each wait for their slowest request), sampled as it goes.
      const progress = { answered: 0 }
      let last = { at: performance.now(), answered: 0 }
      const sampler = setInterval(() => {
        const at = performance.now()
        const rate = ((progress.answered - last.answered) * 1000) / (at - last.at)
        last = { at, answered: progress.answered }
        console.log(
          `  RSS ${mb(kb(pid, 'VmRSS')).padStart(7)}  ${rate.toFixed(0).padStart(5)} /s over the last ${every} s`,
        )
      }, every * 1000)
      const r = await load(base, soakTargets, { clients: soakClients, seconds: soakSeconds, progress })
      clearInterval(sampler)
      failed += r.failures
      console.log(
        `  soak: ${rateOf(r).toFixed(0)} /s, p50 ${r.p50Ms.toFixed(0)} ms, p99 ${r.p99Ms.toFixed(0)} ms` +
          (r.failures ? `, ${r.failures} failed (${r.firstFailure})` : ''),
      )
      // Idle for a moment: what stays resident once the load stops.
      await new Promise((r) => setTimeout(r, 5000))
      console.log(`  idle 5 s after: RSS ${mb(kb(pid, 'VmRSS'))}, peak ${mb(kb(pid, 'VmHWM'))}`)
    }
    if (failed) console.error(`${failed} requests were not answered 200: those pages were not measured`)
    process.exitCode = failed ? 1 : 0
  } finally {
    const exited = new Promise((r) => server.once('exit', r))
    server.kill('SIGTERM')
    await exited
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
    await admin.end()
  }
  if (o.profile) {
    // One file per thread: the main thread's is the largest.
    const dir = path.resolve(o.profile)
    const file = readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(dir, f))
      .sort((a, b) => statSync(b).size - statSync(a).size)[0]
    if (file) {
      console.log(`\nserver CPU profile ${file}: top frames by own time`)
      for (const l of topFrames(file)) console.log(`  ${l}`)
      console.log('by package or folder')
      for (const l of timeByModule(file)) console.log(`  ${l}`)
    }
  }
}
process.exit(process.exitCode ?? 0)
