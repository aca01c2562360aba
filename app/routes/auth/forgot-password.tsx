import { useActionData } from 'react-router'
import type { Route } from './+types/forgot-password'
import { Button, Field, Notice, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseForm } from '#app/lib/forms.server.ts'
import { currentRequest } from '#services/platform/observability/request-context.ts'
import { requestPasswordReset, requestResetSchema } from '#services/identity/request-password-reset.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Reset your password · ggml.ai' }]

export async function action({ request }: Route.ActionArgs) {
  const parsed = await parseForm(request, requestResetSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    await requestPasswordReset(parsed.data.email, currentRequest()?.ip)
    return { sent: true as const }
  })
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <div className="centered">
      <div className="card narrow">
        <h1>Reset your password</h1>
        {result && 'sent' in result ? (
          <Notice>
            If an account uses that address, we have sent it a link to choose a new password. It works for one hour.
          </Notice>
        ) : (
          <PostForm errors={errors}>
            <Field label="Email" name="email" type="email" autoComplete="username" required errors={errors} />
            <Button type="submit">Send reset link</Button>
          </PostForm>
        )}
        <p>
          <a href="/login">Back to sign in</a>
        </p>
      </div>
    </div>
  )
}
