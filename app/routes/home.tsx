import { redirect } from 'react-router'
import type { Route } from './+types/home'
import { actorContext } from '../lib/context.server.ts'
import { navigationFor } from '../lib/navigation.server.ts'

export async function loader({ context }: Route.LoaderArgs) {
  const actor = context.get(actorContext)
  if (!actor) throw redirect('/login')
  const first = navigationFor(actor)[0]
  throw redirect(first?.to ?? '/portal')
}
