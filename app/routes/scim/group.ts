import type { Route } from './+types/group'
import { methodNotAllowed, scim } from '#app/lib/scim.server.ts'
import { deleteScimGroup, getScimGroup, patchScimGroup, replaceScimGroup } from '#services/sso/scim/scim-groups.ts'

// /scim/v2/Groups/<id>: read, replace, patch members and name, delete; roles follow membership.
export const loader = ({ request, params }: Route.LoaderArgs) =>
  scim(request, async (scope) => ({ body: await getScimGroup(scope, params.scimId) }))

export const action = ({ request, params }: Route.ActionArgs) =>
  scim(request, async (scope, body) => {
    if (request.method === 'PUT') return { body: await replaceScimGroup(scope, params.scimId, await body()) }
    if (request.method === 'PATCH') return { body: await patchScimGroup(scope, params.scimId, await body()) }
    if (request.method === 'DELETE') {
      await deleteScimGroup(scope, params.scimId)
      return { status: 204, body: null }
    }
    throw methodNotAllowed()
  })
