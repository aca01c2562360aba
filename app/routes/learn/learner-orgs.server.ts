import type { RouterContextProvider } from 'react-router'
import { actorContext } from '#app/lib/context.server.ts'

/** The signed-in person's training accounts (organizations where they are a learner), if any. */
export function learnerOrgs(context: Readonly<RouterContextProvider>) {
  const actor = context.get(actorContext)
  return (actor?.memberships ?? [])
    .filter((m) => m.role === 'learner')
    .map((m) => ({ slug: m.organizationSlug, name: m.organizationName }))
}
