import { data, Link, redirect, redirectDocument, useActionData, useSearchParams } from 'react-router'
import type { Route } from './+types/login'
import { Button, Field, PostForm } from '#app/components/ui.tsx'
import { actorContext } from '#app/lib/context.server.ts'
import { attempt, invalid, parseForm } from '#app/lib/forms.server.ts'
import { commitSession, readSessionToken, safeRedirect } from '#app/lib/session.server.ts'
import { challengeCookie } from '#app/lib/two-factor.server.ts'
import { signIn, signInSchema, signInStepSchema } from '#services/identity/sign-in.ts'
import { companySignInFor } from '#services/identity/sso-policy.ts'
import { currentRequest } from '#services/platform/observability/request-context.ts'
import { isRefusalReason, refusalMessage } from '#services/sso/saml-refusal.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Sign in · ggml.ai' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  if (context.get(actorContext)) throw redirect('/')
  // After a refused single sign-on: what went wrong, in words (the reason is in the audit log).
  const sso = new URL(request.url).searchParams.get('sso')
  return {
    ssoProblem: !sso
      ? null
      : sso === 'unknown_organization'
        ? 'Single sign-on is not set up for that organization any more. Sign in with your password.'
        : isRefusalReason(sso)
          ? refusalMessage(sso)
          : 'Single sign-on failed. Start again.',
  }
}

/**
 * Email first (issue 28). The email step decides by the domain alone, never by an account: a verified
 * domain whose organization signs in with SAML goes to its identity provider; any other address, known
 * or not, gets the same password step. The password step is the sign-in it always was (rate limit,
 * second factor, safe redirect).
 */
export async function action({ request }: Route.ActionArgs) {
  const form = await request.clone().formData()
  const to = safeRedirect(form.get('redirectTo'), '/')
  if (form.get('step') === 'email') {
    const parsed = await parseForm(request, signInStepSchema)
    if (!parsed.ok) return invalid(parsed.errors)
    const company = await companySignInFor(parsed.data.email)
    // A document redirect to the page that moves on to the IdP: a form's CSP (form-action 'self') would stop
    // a redirect chain that ends there (routes/sso/start.ts).
    if (company)
      return redirectDocument(
        `/sso/start?org=${encodeURIComponent(company.organizationSlug)}&returnTo=${encodeURIComponent(to)}`,
      )
    return { step: 'password' as const, email: parsed.data.email }
  }
  const email = String(form.get('email') ?? '')
  const parsed = await parseForm(request, signInSchema)
  if (!parsed.ok) return data({ errors: parsed.errors, step: 'password' as const, email }, { status: 422 })
  return attempt(
    async () => {
      const session = await signIn({
        ...parsed.data,
        previousSessionToken: await readSessionToken(request),
        ip: currentRequest()?.ip,
        userAgent: request.headers.get('user-agent') ?? undefined,
      })
      if (session.kind === 'two_factor')
        return redirect(`/login/two-factor?redirectTo=${encodeURIComponent(to)}`, {
          headers: { 'Set-Cookie': await challengeCookie().serialize(session.challengeToken) },
        })
      return redirect(to, { headers: { 'Set-Cookie': await commitSession(session.token) } })
    },
    { with: { step: 'password' as const, email } },
  )
}

export default function Login({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const [params] = useSearchParams()
  const redirectTo = params.get('redirectTo') ?? '/'
  // "Use a password instead": someone of an SSO domain who also belongs elsewhere keeps a password (decision 018).
  const passwordStep = (result && 'step' in result) || params.get('with') === 'password'
  const email = result && 'email' in result ? result.email : undefined
  const again = `/login${redirectTo === '/' ? '' : `?redirectTo=${encodeURIComponent(redirectTo)}`}`
  return (
    <div className="centered">
      <div className="card narrow">
        <h1>Sign in</h1>
        {d.ssoProblem && (
          <p className="field-error" role="alert">
            {d.ssoProblem}
          </p>
        )}
        {passwordStep ? (
          <PostForm key="password" errors={errors}>
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <Field
              label="Email"
              name="email"
              type="email"
              autoComplete="username"
              defaultValue={email}
              required
              errors={errors}
            />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              autoFocus={Boolean(email)}
              errors={errors}
            />
            <Button type="submit">Sign in</Button>
          </PostForm>
        ) : (
          <PostForm key="email" errors={errors}>
            <input type="hidden" name="step" value="email" />
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <Field
              label="Email"
              name="email"
              type="email"
              autoComplete="username"
              hint="If your company signs in with single sign-on, we take you to it."
              required
              errors={errors}
            />
            <Button type="submit">Continue</Button>
          </PostForm>
        )}
        <p>
          {passwordStep ? (
            <Link to={again} reloadDocument>
              Use another email
            </Link>
          ) : (
            <Link
              to={`/login?with=password${redirectTo === '/' ? '' : `&redirectTo=${encodeURIComponent(redirectTo)}`}`}
            >
              Use a password instead
            </Link>
          )}
          {' · '}
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
      </div>
    </div>
  )
}
