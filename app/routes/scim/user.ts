import type { Route } from './+types/user'
import { methodNotAllowed, scim } from '#app/lib/scim.server.ts'
import { deleteScimUser, getScimUser, patchScimUser, replaceScimUser } from '#services/sso/scim/scim-users.ts'

// /scim/v2/Users/<id>: read, replace, patch (Okta's and Entra's operations), delete (deprovision).
export const loader = ({ request, params }: Route.LoaderArgs) =>
  scim(request, async (scope) => ({ body: await getScimUser(scope, params.scimId) }))

export const action = ({ request, params }: Route.ActionArgs) =>
  scim(request, async (scope, body) => {
    if (request.method === 'PUT') return { body: await replaceScimUser(scope, params.scimId, await body()) }
    if (request.method === 'PATCH') return { body: await patchScimUser(scope, params.scimId, await body()) }
    if (request.method === 'DELETE') {
      await deleteScimUser(scope, params.scimId)
      return { status: 204, body: null }
    }
    throw methodNotAllowed()
  })
