import type pg from 'pg'
import { db, type Db } from './client.ts'
import { pgPool } from './pg-pool.ts'
import { metrics } from '../observability/metrics.ts'

/**
 * Every read or write outside the tenancy guard (services/tenancy/tenant-guard.ts) says why, with one of
 * these reasons (issue 27, docs/decisions/056-unscoped-reads-say-why.md). The list is closed: a new kind of
 * unscoped access is a new line here, reviewed as such, not a free-text excuse at the call.
 */
export const unscopedReasons = {
  'sign-in':
    'a person signs in, enrols a factor, resets a password or manages their sessions, apart from any organization',
  token: 'an API, runner, SCIM or invitation token (or a runner secret) is resolved to its organization by its hash',
  'provider callback':
    "Stripe, DocuSign or an identity provider calls back: its signature verified, rows found by the provider's id",
  'platform job':
    'a worker job or schedule: runs over every organization (invoicing, dunning, expiry, delivery), or one queued row',
  'staff view':
    'staff (finance, services, instructors, credit program) act across organizations after their permission check',
  'public page': 'anyone verifies a badge, certificate, status list or public log: published rows by public id',
  catalogue: 'rows that belong to no organization: courses, exams and their items, rate cards, program settings',
  contributor: "an open-source contributor's credit account, drawn on by GGML Cloud's usage reports",
  plumbing: "the platform's own machinery: the outbox, the email log",
  'in scope':
    "code holding one organization's scope reaches what the guard does not scope (its organization row, people)",
  uniqueness: 'a value unique across organizations (a domain, a slug) is checked or claimed',
} as const

export type UnscopedReason = keyof typeof unscopedReasons

/** The unscoped client, the same one as db(), handed out for a named reason (counted on /metrics). */
export function unscopedDb(why: UnscopedReason): Db {
  metrics().unscopedClients.inc({ reason: why })
  return db()
}

/**
 * The plain pg pool, for the few paths that write with raw SQL (a report's COPY, credit usage's group
 * commit), asked for by a reason like the unscoped client: its queries pass no tenancy guard either.
 */
export function unscopedPool(why: UnscopedReason): pg.Pool {
  metrics().unscopedClients.inc({ reason: why })
  return pgPool()
}
