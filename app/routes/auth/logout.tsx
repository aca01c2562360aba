import { redirect } from 'react-router'
import type { Route } from './+types/logout'
import { destroySession, readSessionToken } from '#app/lib/session.server.ts'
import { deleteSessionByToken } from '#services/identity/sessions.ts'

export async function loader() {
  throw redirect('/')
}

export async function action({ request }: Route.ActionArgs) {
  await deleteSessionByToken(await readSessionToken(request))
  return redirect('/login', { headers: { 'Set-Cookie': await destroySession() } })
}
