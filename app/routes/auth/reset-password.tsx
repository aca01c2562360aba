import { redirect, useActionData } from 'react-router'
import type { Route } from './+types/reset-password'
import { Button, Field, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseForm } from '#app/lib/forms.server.ts'
import { findUsableResetToken, resetPassword, resetPasswordSchema } from '#services/identity/reset-password.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Choose a new password · GGML Platform' }]

export async function loader({ params }: Route.LoaderArgs) {
  return { valid: Boolean(await findUsableResetToken(params.token)) }
}

export async function action({ request, params }: Route.ActionArgs) {
  const parsed = await parseForm(request, resetPasswordSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    await resetPassword(params.token, parsed.data.password)
    return redirect('/login?reset=1')
  })
}

export default function ResetPassword({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <div className="centered">
      <div className="card narrow">
        <h1>Choose a new password</h1>
        {!loaderData.valid ? (
          <p role="alert">
            This reset link is invalid or has expired. <a href="/forgot-password">Ask for a new one.</a>
          </p>
        ) : (
          <PostForm errors={errors}>
            <Field
              label="New password"
              name="password"
              type="password"
              autoComplete="new-password"
              hint="At least 12 characters."
              required
              errors={errors}
            />
            <Field
              label="Repeat the new password"
              name="confirm"
              type="password"
              autoComplete="new-password"
              required
              errors={errors}
            />
            <Button type="submit">Set password</Button>
          </PostForm>
        )}
      </div>
    </div>
  )
}
