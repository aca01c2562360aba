import { useActionData } from 'react-router'
import type { Route } from './+types/signup'
import { Button, Field, Notice, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseForm } from '#app/lib/forms.server.ts'
import { currentRequest } from '#services/platform/observability/request-context.ts'
import { signUpLearner, signUpSchema } from '#services/training/sign-up-learner.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Create a learner account · GGML training' }]

// Self-service sign-up is for learners; partners and staff are invited.
export async function action({ request }: Route.ActionArgs) {
  const parsed = await parseForm(request, signUpSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    const { demoLink } = await signUpLearner(parsed.data, currentRequest()?.ip)
    return { sent: parsed.data.email, demoLink }
  })
}

export default function SignUp() {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <div className="centered">
      <div className="card narrow">
        <h1>Create a learner account</h1>
        {result && 'sent' in result ? (
          <>
            <Notice>
              We sent a confirmation link to {result.sent}. Open it within 24 hours to create your account.
            </Notice>
            {result.demoLink && (
              <p>
                Demo only (no real mail is sent): <a href={result.demoLink}>open your confirmation link</a>.
              </p>
            )}
          </>
        ) : (
          <PostForm errors={errors}>
            <Field
              label="Your name"
              name="name"
              autoComplete="name"
              required
              errors={errors}
              hint="As it should appear on certificates."
            />
            <Field label="Email" name="email" type="email" autoComplete="email" required errors={errors} />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              errors={errors}
              hint="At least 12 characters."
            />
            <Button type="submit">Create account</Button>
          </PostForm>
        )}
        <p>
          Have an account? <a href="/login">Sign in</a> · <a href="/learn">Catalog</a>
        </p>
      </div>
    </div>
  )
}
