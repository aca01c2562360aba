import { redirect } from 'react-router'
import type { Route } from './+types/verify-email'
import { Button, PostForm } from '#app/components/ui.tsx'
import { attempt } from '#app/lib/forms.server.ts'
import { commitSession } from '#app/lib/session.server.ts'
import { currentRequest } from '#services/platform/observability/request-context.ts'
import { verifyLearnerEmail } from '#services/training/verify-learner-email.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Confirm your email · GGML training' }]

// A link scanner's GET must not consume the link: the person confirms with a button (POST).
export async function action({ request, params }: Route.ActionArgs) {
  return attempt(async () => {
    const r = await verifyLearnerEmail(params.token, {
      ip: currentRequest()?.ip,
      userAgent: request.headers.get('User-Agent') ?? undefined,
    })
    return redirect(`/learn/${r.orgSlug}`, { headers: { 'Set-Cookie': await commitSession(r.sessionToken) } })
  })
}

export default function VerifyEmail({ actionData }: Route.ComponentProps) {
  const errors = actionData && 'errors' in actionData ? actionData.errors : undefined
  return (
    <div className="centered">
      <div className="card narrow">
        <h1>Confirm your email</h1>
        <PostForm errors={errors}>
          <Button type="submit">Confirm and create my account</Button>
        </PostForm>
      </div>
    </div>
  )
}
