import { redirect, useActionData } from 'react-router'
import { z } from 'zod'
import { DataTable } from '#app/components/data-table.tsx'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/account'
import { Button, Card, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues } from '#app/lib/forms.server.ts'
import { destroySession, requireActor } from '#app/lib/session.server.ts'
import { endSessions } from '#services/identity/end-sessions.ts'
import { listSessions } from '#services/identity/list-sessions.ts'
import { startTwoFactorEnrolment, twoFactorStatus } from '#services/identity/start-two-factor-enrolment.ts'
import { challengeCookie } from '#app/lib/two-factor.server.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Your account · GGML Platform' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const actor = requireActor(context, request)
  return {
    user: { name: actor.name, email: actor.email },
    sessions: await listSessions(actor),
    twoFactor: await twoFactorStatus(actor),
  }
}

const intents = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('end-one'), sessionId: z.string().trim().max(64) }),
  z.object({ intent: z.literal('end-others') }),
  z.object({ intent: z.literal('end-all') }),
  z.object({ intent: z.literal('two-factor') }),
])

export async function action({ context, request }: Route.ActionArgs) {
  const actor = requireActor(context, request)
  const parsed = parseValues(Object.fromEntries(await request.formData()), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    const f = parsed.data
    if (f.intent === 'two-factor')
      return redirect('/login/two-factor?redirectTo=%2Faccount', {
        headers: { 'Set-Cookie': await challengeCookie().serialize(await startTwoFactorEnrolment(actor)) },
      })
    const which = f.intent === 'end-one' ? { one: f.sessionId } : f.intent === 'end-others' ? 'others' : 'all'
    const { ended } = await endSessions(actor, which)
    if (f.intent === 'end-all') return redirect('/login', { headers: { 'Set-Cookie': await destroySession() } })
    return { done: `Signed out of ${ended} session${ended === 1 ? '' : 's'}.` }
  })
}

const when = (iso: string) => iso.slice(0, 16).replace('T', ' ') + ' UTC'

export default function Account({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  return (
    <>
      <PageHeader title="Your account" subtitle={`${d.user.name} · ${d.user.email}`} />
      {result && 'done' in result && <Notice>{result.done}</Notice>}
      <FormError errors={result && 'errors' in result ? result.errors : undefined} />
      <Card title="Two-factor sign-in">
        {d.twoFactor.on ? (
          <p>
            On: you sign in with a code from your authenticator app. {d.twoFactor.recoveryCodesLeft} recovery codes
            left.
          </p>
        ) : (
          <PostForm>
            <p>Off: a password alone signs you in.</p>
            <input type="hidden" name="intent" value="two-factor" />
            <Button>Turn on two-factor sign-in</Button>
          </PostForm>
        )}
      </Card>
      <Card title="Where you are signed in">
        <p className="hint">
          A session ends after a period without activity and, at the latest, some days after you signed in. Sign out of
          any you do not recognise, and change your password.
        </p>
        <DataTable
          rows={d.sessions}
          columns={[
            {
              header: 'Device',
              cell: (s) => (
                <>
                  {s.userAgent ?? 'unknown browser'}
                  {s.current && <strong> (this browser)</strong>}
                </>
              ),
            },
            { header: 'Address', cell: (s) => s.ip ?? 'unknown' },
            { header: 'Signed in', cell: (s) => when(s.createdAt) },
            { header: 'Last active', cell: (s) => when(s.lastSeenAt) },
            {
              header: 'Actions',
              hideHeader: true,
              cell: (s) => !s.current && <RowAction fields={{ intent: 'end-one', sessionId: s.id }} label="Sign out" />,
            },
          ]}
        />
        <div className="actions-row">
          <PostForm>
            <input type="hidden" name="intent" value="end-others" />
            <Button type="submit" variant="secondary">
              Sign out everywhere else
            </Button>
          </PostForm>
          <PostForm>
            <input type="hidden" name="intent" value="end-all" />
            <Button type="submit">Sign out everywhere</Button>
          </PostForm>
        </div>
      </Card>
    </>
  )
}
