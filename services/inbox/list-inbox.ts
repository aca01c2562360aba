import type { Actor } from '../identity/actor.ts'
import { waitingBadges } from './certification-waiting.ts'
import { waitingChangeOrders, waitingMilestones } from './customer-waiting.ts'
import { waitingAdjustments, waitingContractVersions, waitingCreditGrants } from './finance-waiting.ts'
import type { InboxItem, InboxSource, InboxSourceReader } from './inbox-item.ts'
import { waitingExpenses, waitingTimesheets } from './services-waiting.ts'
import { waitingExamItems, waitingExamRequests } from './training-waiting.ts'

/** Every kind of work that waits for a person's decision (issue 29); add a new approval here. */
const readers: readonly InboxSourceReader[] = [
  waitingTimesheets,
  waitingExpenses,
  waitingMilestones,
  waitingChangeOrders,
  waitingExamItems,
  waitingExamRequests,
  waitingAdjustments,
  waitingCreditGrants,
  waitingContractVersions,
  waitingBadges,
]

const readersFor = (actor: Actor) => readers.filter((r) => r.applies(actor))

/** Whether anything could ever wait for this person (their roles; no query): the navigation shows the inbox. */
export const hasInbox = (actor: Actor): boolean => readersFor(actor).length > 0

/** How many items wait for this person: one count per kind of work they may decide, for the navigation. */
export async function countInbox(actor: Actor): Promise<number> {
  const counts = await Promise.all(readersFor(actor).map((r) => r.count(actor)))
  return counts.reduce((a, b) => a + b, 0)
}

/**
 * The signed-in person's inbox: what waits for their decision, each kind read by its own rule of who
 * decides (the same rule the use case refuses by), oldest first. A kind with more rows than the inbox
 * lists says how many more wait on its own page.
 */
export async function listInbox(actor: Actor) {
  const sources = await Promise.all(
    readersFor(actor).map(async (r) => {
      const [items, total] = await Promise.all([r.list(actor), r.count(actor)])
      return { source: r.source, items, more: Math.max(0, total - items.length) }
    }),
  )
  const items: InboxItem[] = sources.flatMap((s) => s.items).sort((a, b) => a.since.localeCompare(b.since))
  return {
    items,
    total: items.length + sources.reduce((t, s) => t + s.more, 0),
    more: sources
      .filter((s) => s.more > 0)
      .map((s) => ({ source: s.source, count: s.more, href: s.items[0]?.href ?? '/inbox' })),
  }
}
