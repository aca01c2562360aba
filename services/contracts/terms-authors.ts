/** History entries that change what a version says (its terms, dates or title). */
const authoringEvents = new Set(['drafted', 'amendment_drafted', 'terms_updated'])

/**
 * Everyone who wrote or changed a version's terms, or submitted them: none of them may approve
 * them. Four eyes means the approver read terms that somebody else wrote.
 */
export function termsAuthors(
  version: { createdById: string | null; submittedById: string | null },
  events: { type: string; actorUserId: string | null }[],
): Set<string> {
  const people = [version.createdById, version.submittedById]
  for (const e of events) if (authoringEvents.has(e.type)) people.push(e.actorUserId)
  return new Set(people.filter((p): p is string => Boolean(p)))
}
