import client from 'prom-client'
import { singleton } from '../singleton.ts'

interface Metrics {
  registry: client.Registry
  httpDuration: client.Histogram<'method' | 'route' | 'status'>
  jobsCompleted: client.Counter<'queue' | 'job'>
  jobsFailed: client.Counter<'queue' | 'job'>
  jobsWaiting: client.Counter<'queue' | 'job'>
  outboxRelayed: client.Counter
  signIns: client.Counter<'outcome'>
  auditEvents: client.Counter<'action'>
  emailsSent: client.Counter<'transport'>
  samlLogins: client.Counter<'result' | 'reason'>
  unhandledRejections: client.Counter<'role'>
  unscopedClients: client.Counter<'reason'>
  /** Connection pools whose use /metrics reports (pg_pool_connections), by name. */
  pools: Map<string, PoolCounts>
}

/** What pg.Pool tells of itself. */
export interface PoolCounts {
  totalCount: number
  idleCount: number
  waitingCount: number
}

export function metrics(): Metrics {
  return singleton('metrics', () => {
    const registry = new client.Registry()
    client.collectDefaultMetrics({ register: registry })
    const m = { registers: [registry] }
    const pools = new Map<string, PoolCounts>()
    // A leaked connection (an upload that never released its client) shows as in_use that never
    // falls back to 0, and requests waiting behind it as waiting: seen from outside, before a hang.
    new client.Gauge({
      ...m,
      name: 'pg_pool_connections',
      help: 'Connections of each PostgreSQL pool of this process: in use, idle, and requests waiting for one',
      labelNames: ['pool', 'state'],
      collect() {
        this.reset()
        for (const [pool, p] of pools) {
          this.set({ pool, state: 'in_use' }, p.totalCount - p.idleCount)
          this.set({ pool, state: 'idle' }, p.idleCount)
          this.set({ pool, state: 'waiting' }, p.waitingCount)
        }
      },
    })
    return {
      registry,
      pools,
      httpDuration: new client.Histogram({
        ...m,
        name: 'http_request_duration_seconds',
        help: 'HTTP request latency by route pattern',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      }),
      jobsCompleted: new client.Counter({
        ...m,
        name: 'jobs_completed_total',
        help: 'Background jobs completed',
        labelNames: ['queue', 'job'],
      }),
      jobsFailed: new client.Counter({
        ...m,
        name: 'jobs_failed_total',
        help: 'Background job attempts that failed',
        labelNames: ['queue', 'job'],
      }),
      jobsWaiting: new client.Counter({
        ...m,
        name: 'jobs_waiting_total',
        help: 'Times a job was put back to wait for another job’s effect (no attempt spent)',
        labelNames: ['queue', 'job'],
      }),
      outboxRelayed: new client.Counter({
        ...m,
        name: 'outbox_messages_relayed_total',
        help: 'Outbox rows handed to the job queue',
      }),
      unhandledRejections: new client.Counter({
        ...m,
        name: 'unhandled_rejections_total',
        help: 'Promise rejections nobody handled (bugs: each is logged with its stack)',
        labelNames: ['role'],
      }),
      // Cheap (a hand-out, not a query): a reason whose count climbs is where to look for a missing guard.
      unscopedClients: new client.Counter({
        ...m,
        name: 'unscoped_db_clients_total',
        help: 'Database clients handed out outside the tenancy guard, by reason (services/platform/db/unscoped.ts)',
        labelNames: ['reason'],
      }),
      signIns: new client.Counter({
        ...m,
        name: 'sign_ins_total',
        help: 'Sign-in attempts by outcome',
        labelNames: ['outcome'],
      }),
      auditEvents: new client.Counter({
        ...m,
        name: 'audit_events_total',
        help: 'Audit events recorded',
        labelNames: ['action'],
      }),
      emailsSent: new client.Counter({
        ...m,
        name: 'emails_sent_total',
        help: 'Emails sent',
        labelNames: ['transport'],
      }),
      samlLogins: new client.Counter({
        ...m,
        name: 'saml_login_total',
        help: 'SAML single sign-on attempts by result and refusal reason',
        labelNames: ['result', 'reason'],
      }),
    }
  })
}

/** Reports a pool's connections on /metrics (pg_pool_connections{pool=name}). */
export function observePool(name: string, pool: PoolCounts): void {
  metrics().pools.set(name, pool)
}
