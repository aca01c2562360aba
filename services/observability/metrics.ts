import client from 'prom-client'
import { singleton } from '../platform/singleton.ts'

interface Metrics {
  registry: client.Registry
  httpDuration: client.Histogram<'method' | 'route' | 'status'>
  jobsCompleted: client.Counter<'queue' | 'job'>
  jobsFailed: client.Counter<'queue' | 'job'>
  outboxRelayed: client.Counter
  signIns: client.Counter<'outcome'>
  auditEvents: client.Counter<'action'>
  emailsSent: client.Counter<'transport'>
  samlLogins: client.Counter<'result' | 'reason'>
  unhandledRejections: client.Counter<'role'>
}

export function metrics(): Metrics {
  return singleton('metrics', () => {
    const registry = new client.Registry()
    client.collectDefaultMetrics({ register: registry })
    const m = { registers: [registry] }
    return {
      registry,
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
