import { redirect } from 'react-router'
import type { Route } from './+types/home'
import { actorContext } from '#app/lib/context.server.ts'
import { homeFor } from '#app/lib/navigation.server.ts'

export async function loader({ context }: Route.LoaderArgs) {
  const actor = context.get(actorContext)
  throw redirect(actor ? homeFor(actor) : '/login')
}
