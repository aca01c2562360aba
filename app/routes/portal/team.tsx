import { useActionData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/team'
import {
  Button,
  Card,
  EmptyState,
  Field,
  FormError,
  Notice,
  PageHeader,
  PostForm,
  SelectField,
} from '#app/components/ui.tsx'
import { fromAppError, invalid, parseValues } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { roleLabel } from '#services/identity/permissions.ts'
import { assignableRoles } from '#services/organizations/team.ts'
import { removeMember } from '#services/organizations/remove-member.ts'
import { revokeInvitation } from '#services/organizations/revoke-invitation.ts'
import { inviteMember } from '#services/organizations/invite-member.ts'
import { inviteSchema } from '#services/organizations/invite-member.ts'
import { listTeam } from '#services/organizations/list-team.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Team · GGML Platform' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'team.view')
  const { members, invitations } = await listTeam(scope)
  return {
    organization: { name: scope.organization.name, slug: scope.organization.slug },
    canManage: scope.granted.has('team.invite'),
    roles: assignableRoles(scope.organization.kind).map((r) => ({ value: r, label: roleLabel(r) })),
    members: members.map((m) => ({
      id: m.id,
      name: m.user.name,
      email: m.user.email,
      role: roleLabel(m.role),
      isYou: m.userId === scope.actor.userId,
    })),
    invitations: invitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: roleLabel(i.role),
      expiresAt: i.expiresAt.toISOString().slice(0, 10),
    })),
  }
}

const intentSchema = z.discriminatedUnion('intent', [
  inviteSchema.extend({ intent: z.literal('invite') }),
  z.object({ intent: z.literal('revoke'), invitationId: z.string().min(1) }),
  z.object({ intent: z.literal('remove'), membershipId: z.string().min(1) }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'team.view')
  const parsed = parseValues(Object.fromEntries(await request.formData()), intentSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  try {
    const input = parsed.data
    if (input.intent === 'invite') {
      await inviteMember(scope, input)
      return { done: `Invitation sent to ${input.email}.` }
    }
    if (input.intent === 'revoke') {
      await revokeInvitation(scope, input.invitationId)
      return { done: 'Invitation revoked.' }
    }
    await removeMember(scope, input.membershipId)
    return { done: 'Member removed.' }
  } catch (e) {
    return fromAppError(e)
  }
}

export default function PortalTeam({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title="Team"
        subtitle={d.organization.name}
        actions={
          d.canManage ? (
            <a className="btn btn-secondary" href={`/portal/${d.organization.slug}/api-tokens`}>
              API tokens
            </a>
          ) : undefined
        }
      />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <Card title="Members">
        <table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              {d.canManage && (
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {d.members.map((m) => (
              <tr key={m.id}>
                <td>
                  {m.name}
                  {m.isYou ? ' (you)' : ''}
                </td>
                <td>{m.email}</td>
                <td>{m.role}</td>
                {d.canManage && (
                  <td>
                    {!m.isYou && (
                      <PostForm>
                        <input type="hidden" name="intent" value="remove" />
                        <input type="hidden" name="membershipId" value={m.id} />
                        <Button variant="danger" type="submit" aria-label={`Remove ${m.name}`}>
                          Remove
                        </Button>
                      </PostForm>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Open invitations">
        {d.invitations.length === 0 ? (
          <EmptyState>No open invitations.</EmptyState>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                {d.canManage && (
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {d.invitations.map((i) => (
                <tr key={i.id}>
                  <td>{i.email}</td>
                  <td>{i.role}</td>
                  <td>{i.expiresAt}</td>
                  {d.canManage && (
                    <td>
                      <PostForm>
                        <input type="hidden" name="intent" value="revoke" />
                        <input type="hidden" name="invitationId" value={i.id} />
                        <Button variant="secondary" type="submit" aria-label={`Revoke invitation for ${i.email}`}>
                          Revoke
                        </Button>
                      </PostForm>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      {d.canManage && (
        <Card title="Invite someone">
          <PostForm noValidate>
            <input type="hidden" name="intent" value="invite" />
            <FormError errors={errors} />
            <Field label="Email" name="email" type="email" required errors={errors} />
            <SelectField label="Role" name="role" options={d.roles} errors={errors} />
            <Button type="submit">Send invitation</Button>
          </PostForm>
        </Card>
      )}
    </>
  )
}
