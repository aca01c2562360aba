import type { Actor } from '../identity/actor.ts'

export const inboxSources = [
  'timesheet',
  'expense',
  'milestone',
  'change_order',
  'exam_item',
  'exam_request',
  'adjustment',
  'credit_grant',
  'contract_version',
  'badge',
] as const

export type InboxSource = (typeof inboxSources)[number]

/** One piece of work waiting for the signed-in person, as the inbox shows it (issue 29). */
export interface InboxItem {
  source: InboxSource
  id: string
  /** The organization whose tenancy guard the decision opens; null for platform work (exam items). */
  organizationId: string | null
  /** What kind of work, in the business's words: "Timesheet", "Credit grant". */
  kind: string
  title: string
  detail: string
  /** ISO day the work started waiting, oldest first. */
  since: string
  /** The full record, where the area's own page decides it too. */
  href: string
  /** Approve is not possible yet, and why (a badge without an independent run). */
  approveBlocked: string | null
}

/**
 * A kind of waiting work. `applies` reads only the actor's roles (no query), so the navigation knows
 * whether to show the inbox; `count` is one query, for the navigation's badge; `list` is the rows.
 */
export interface InboxSourceReader {
  source: InboxSource
  applies(actor: Actor): boolean
  list(actor: Actor): Promise<InboxItem[]>
  count(actor: Actor): Promise<number>
}

/** The most rows one source lists; the rest wait on the area's own page (the count says how many). */
export const ROWS_PER_SOURCE = 25

export const isoDay = (d: Date | null | undefined): string => (d ? d.toISOString().slice(0, 10) : '')
