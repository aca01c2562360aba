import { redirect, useActionData } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/accept-invitation'
import { Button, Field, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseForm } from '#app/lib/forms.server.ts'
import { commitSession } from '#app/lib/session.server.ts'
import {
  acceptInvitation,
  acceptInvitationSchema,
  findOpenInvitation,
} from '#services/organizations/accept-invitation.ts'
import { roleLabel } from '#services/identity/permissions.ts'
import { currentRequest } from '#services/platform/observability/request-context.ts'
import { actorContext } from '#app/lib/context.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Accept invitation · ggml.ai' }]

export async function loader({ params, context, request }: Route.LoaderArgs) {
  const inv = await findOpenInvitation(params.token)
  if (!inv) return { invitation: null }
  const actor = context.get(actorContext)
  return {
    invitation: {
      email: inv.email,
      role: roleLabel(inv.role),
      organization: inv.organization.name,
      hasAccount: inv.hasAccount,
      signedInAsInvitee: actor?.email === inv.email,
      signInUrl: `/login?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`,
    },
  }
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const inv = await findOpenInvitation(params.token)
  const parsed = await parseForm(request, inv?.hasAccount ? z.object({}) : acceptInvitationSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    const accepted = await acceptInvitation(params.token, parsed.data as { name?: string; password?: string }, {
      ip: currentRequest()?.ip,
      userAgent: request.headers.get('user-agent') ?? undefined,
      signedInEmail: context.get(actorContext)?.email,
    })
    const home = `/portal/${accepted.organizationSlug}`
    if (!accepted.session) return redirect(home)
    return redirect(home, { headers: { 'Set-Cookie': await commitSession(accepted.session.token) } })
  })
}

export default function AcceptInvitation({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const inv = loaderData.invitation
  return (
    <div className="centered">
      <div className="card narrow">
        <h1>Join {inv?.organization ?? 'an organization'}</h1>
        {!inv ? (
          <p role="alert">
            This invitation is invalid, expired, revoked or already used. Ask the person who invited you for a new one.
          </p>
        ) : inv.hasAccount && !inv.signedInAsInvitee ? (
          <>
            <p>
              You are invited as <strong>{inv.role}</strong>. <strong>{inv.email}</strong> already has an account: sign
              in with it, and you come back here to accept.
            </p>
            <p>
              <a className="btn btn-primary" href={inv.signInUrl}>
                Sign in as {inv.email}
              </a>
            </p>
          </>
        ) : (
          <PostForm errors={errors}>
            <p>
              You are invited as <strong>{inv.role}</strong> with the address <strong>{inv.email}</strong>.
            </p>
            {!inv.hasAccount && (
              <>
                <Field label="Your name" name="name" autoComplete="name" required errors={errors} />
                <Field
                  label="Choose a password"
                  name="password"
                  type="password"
                  autoComplete="new-password"
                  hint="At least 12 characters."
                  required
                  errors={errors}
                />
                <Field
                  label="Repeat the password"
                  name="confirm"
                  type="password"
                  autoComplete="new-password"
                  required
                  errors={errors}
                />
              </>
            )}
            <Button type="submit">Accept invitation</Button>
          </PostForm>
        )}
      </div>
    </div>
  )
}
