import type { Route } from './+types/groups'
import { methodNotAllowed, scim } from '#app/lib/scim.server.ts'
import { createScimGroup, listScimGroups } from '#services/sso/scim/scim-groups.ts'

// /scim/v2/Groups: list (displayName or externalId filters) and create.
export const loader = ({ request }: Route.LoaderArgs) =>
  scim(request, async (scope) => ({ body: await listScimGroups(scope, new URL(request.url).searchParams) }))

export const action = ({ request }: Route.ActionArgs) =>
  scim(request, async (scope, body) => {
    if (request.method !== 'POST') throw methodNotAllowed()
    return { status: 201, body: await createScimGroup(scope, await body()) }
  })
