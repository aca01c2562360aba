import type { Route } from './+types/users'
import { methodNotAllowed, scim } from '#app/lib/scim.server.ts'
import { createScimUser, listScimUsers } from '#services/sso/scim/scim-users.ts'

// /scim/v2/Users: list (with userName or externalId filters) and create.
export const loader = ({ request }: Route.LoaderArgs) =>
  scim(request, async (scope) => ({ body: await listScimUsers(scope, new URL(request.url).searchParams) }))

export const action = ({ request }: Route.ActionArgs) =>
  scim(request, async (scope, body) => {
    if (request.method !== 'POST') throw methodNotAllowed()
    return { status: 201, body: await createScimUser(scope, await body()) }
  })
