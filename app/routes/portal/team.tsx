import { useActionData } from 'react-router'
import { z } from 'zod'
import { type Columns, DataTable } from '#app/components/data-table.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/team'
import { Button, Card, Field, Notice, PageHeader, PostForm, SelectField } from '#app/components/ui.tsx'
import { formAction } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import {
  approveSecondFactorReset,
  approveSecondFactorResetSchema,
} from '#services/organizations/approve-second-factor-reset.ts'
import { listSecondFactorResets } from '#services/organizations/list-second-factor-resets.ts'
import { resetSecondFactor, resetSecondFactorSchema } from '#services/organizations/reset-second-factor.ts'
import { SecondFactorResetActions } from './second-factor-reset-actions.tsx'
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
  const [{ members, invitations }, secondFactors] = await Promise.all([listTeam(scope), listSecondFactorResets(scope)])
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
      userId: m.userId,
      secondFactor: secondFactors[m.userId] ?? null,
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
  resetSecondFactorSchema.extend({ intent: z.literal('reset-second-factor') }),
  approveSecondFactorResetSchema.extend({ intent: z.literal('approve-second-factor-reset') }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'team.view')
  // Each form on the page has its own formKey, so a refusal shows on the form that was sent.
  return formAction(request, intentSchema, async (input) => {
    switch (input.intent) {
      case 'invite':
        await inviteMember(scope, input)
        return { done: `Invitation sent to ${input.email}.` }
      case 'revoke':
        await revokeInvitation(scope, input.invitationId)
        return { done: 'Invitation revoked.' }
      case 'remove':
        await removeMember(scope, input.membershipId)
        return { done: 'Member removed.' }
      case 'approve-second-factor-reset': {
        const r = await approveSecondFactorReset(scope, input)
        return { done: `${r.name}'s second factor was reset and they were signed out everywhere.` }
      }
      case 'reset-second-factor': {
        const r = await resetSecondFactor(scope, input)
        return {
          done:
            r.outcome === 'reset'
              ? `${r.name}'s second factor was reset and they were signed out everywhere.`
              : `Reset of ${r.name}'s second factor requested: a second ggml admin must approve it.`,
        }
      }
    }
  })
}

export default function PortalTeam({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const rowActions = d.canManage || d.members.some((m) => m.secondFactor)
  const memberColumns: Columns<(typeof d.members)[number]> = [
    { header: 'Name', cell: (m) => `${m.name}${m.isYou ? ' (you)' : ''}` },
    { header: 'Email', cell: (m) => m.email },
    { header: 'Role', cell: (m) => m.role },
    rowActions && {
      header: 'Actions',
      hideHeader: true,
      cell: (m) => (
        <>
          {m.secondFactor && <SecondFactorResetActions member={m} secondFactor={m.secondFactor} errors={errors} />}
          {d.canManage && !m.isYou && (
            <RowAction
              fields={{ intent: 'remove', membershipId: m.id }}
              variant="danger"
              ariaLabel={`Remove ${m.name}`}
              label="Remove"
              errors={errors}
              formKey={`remove-${m.id}`}
            />
          )}
        </>
      ),
    },
  ]
  const invitationColumns: Columns<(typeof d.invitations)[number]> = [
    { header: 'Email', cell: (i) => i.email },
    { header: 'Role', cell: (i) => i.role },
    { header: 'Expires', cell: (i) => i.expiresAt },
    d.canManage && {
      header: 'Actions',
      hideHeader: true,
      cell: (i) => (
        <RowAction
          fields={{ intent: 'revoke', invitationId: i.id }}
          ariaLabel={`Revoke invitation for ${i.email}`}
          label="Revoke"
          errors={errors}
          formKey={`revoke-${i.id}`}
        />
      ),
    },
  ]
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
        <DataTable rows={d.members} columns={memberColumns} />
      </Card>
      <Card title="Open invitations">
        <DataTable rows={d.invitations} empty="No open invitations." columns={invitationColumns} />
      </Card>
      {d.canManage && (
        <Card title="Invite someone">
          <PostForm errors={errors} formKey="invite">
            <input type="hidden" name="intent" value="invite" />
            <Field label="Email" name="email" type="email" required />
            <SelectField label="Role" name="role" options={d.roles} />
            <Button type="submit">Send invitation</Button>
          </PostForm>
        </Card>
      )}
    </>
  )
}
