import { Link, redirect, useActionData, useSearchParams } from 'react-router'
import type { Route } from './+types/login'
import { Button, Field, FormError, PostForm } from '#app/components/ui.tsx'
import { actorContext } from '#app/lib/context.server.ts'
import { fromAppError, invalid, parseForm } from '#app/lib/forms.server.ts'
import { commitSession, readSessionToken, safeRedirect } from '#app/lib/session.server.ts'
import { challengeCookie } from '#app/lib/two-factor.server.ts'
import { signIn, signInSchema } from '#services/identity/sign-in.ts'
import { currentRequest } from '#services/observability/request-context.ts'
import { isRefusalReason, refusalMessage } from '#services/sso/saml-refusal.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Sign in · ggml' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  if (context.get(actorContext)) throw redirect('/')
  // After a refused single sign-on: what went wrong, in words (the reason is in the audit log).
  const sso = new URL(request.url).searchParams.get('sso')
  return {
    ssoProblem: !sso
      ? null
      : sso === 'unknown_organization'
        ? 'No organization with single sign-on has that short name.'
        : isRefusalReason(sso)
          ? refusalMessage(sso)
          : 'Single sign-on failed. Start again.',
  }
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.clone().formData()
  const parsed = await parseForm(request, signInSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  try {
    const session = await signIn({
      ...parsed.data,
      previousSessionToken: await readSessionToken(request),
      ip: currentRequest()?.ip,
      userAgent: request.headers.get('user-agent') ?? undefined,
    })
    const to = safeRedirect(form.get('redirectTo'), '/')
    if (session.kind === 'two_factor')
      return redirect(`/login/two-factor?redirectTo=${encodeURIComponent(to)}`, {
        headers: { 'Set-Cookie': await challengeCookie().serialize(session.challengeToken) },
      })
    return redirect(to, { headers: { 'Set-Cookie': await commitSession(session.token) } })
  } catch (e) {
    return fromAppError(e)
  }
}

export default function Login({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const [params] = useSearchParams()
  return (
    <div className="centered">
      <div className="card narrow">
        <h1>Sign in</h1>
        <PostForm noValidate>
          <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
          <FormError errors={errors} />
          <Field label="Email" name="email" type="email" autoComplete="username" required errors={errors} />
          <Field
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            errors={errors}
          />
          <Button type="submit">Sign in</Button>
        </PostForm>
        <p>
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <h2>Company single sign-on</h2>
        {d.ssoProblem && (
          <p className="field-error" role="alert">
            {d.ssoProblem}
          </p>
        )}
        <form method="get" action="/sso/start" className="row">
          <input type="hidden" name="returnTo" value={params.get('redirectTo') ?? '/'} />
          <label>
            Organization short name <input name="org" placeholder="e.g. your-company" autoComplete="organization" />
          </label>
          <Button type="submit" variant="secondary">
            Continue with SSO
          </Button>
        </form>
      </div>
    </div>
  )
}
