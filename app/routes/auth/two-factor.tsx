import { Link, redirect, useActionData, useSearchParams } from 'react-router'
import type { Route } from './+types/two-factor'
import { Button, Field, PostForm } from '#app/components/ui.tsx'
import { attempt, invalid, parseForm } from '#app/lib/forms.server.ts'
import { commitSession, readSessionToken, safeRedirect } from '#app/lib/session.server.ts'
import { challengeCookie, recoveryCodesCookie } from '#app/lib/two-factor.server.ts'
import { sealTotpSecret } from '#services/identity/totp-secret.ts'
import { env } from '#services/platform/config/env.ts'
import { completeTwoFactor, describeChallenge, secondFactorSchema } from '#services/identity/complete-two-factor.ts'
import { demoCurrentCode } from '#services/identity/demo-second-factor.ts'
import { currentRequest } from '#services/platform/observability/request-context.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Two-factor sign-in · ggml.ai' }]

// While an authenticator is set up, every load of this page shows its key and echoes the address (redirectTo):
// sent uncompressed, so nobody reads the key out of compressed sizes (BREACH, decision 042), and never stored.
export const headers: Route.HeadersFunction = () => ({ 'Cache-Control': 'no-store, no-transform' })

const challengeOf = async (request: Request) =>
  ((await challengeCookie().parse(request.headers.get('Cookie'))) as string | null) ?? undefined

export async function loader({ request }: Route.LoaderArgs) {
  const c = await describeChallenge(await challengeOf(request))
  if (!c) throw redirect('/login')
  // The demo's staff have a known secret; the demo shows its current code instead of a phone.
  return { ...c, demoCode: env().DEMO && c.purpose === 'verify' ? await demoCurrentCode(c.email) : null }
}

export async function action({ request }: Route.ActionArgs) {
  const form = await request.clone().formData()
  const parsed = await parseForm(request, secondFactorSchema)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    const r = await completeTwoFactor(await challengeOf(request), parsed.data, {
      ip: currentRequest()?.ip,
      userAgent: request.headers.get('user-agent') ?? undefined,
      previousSessionToken: await readSessionToken(request),
    })
    const headers = new Headers()
    headers.append('Set-Cookie', await commitSession(r.token))
    headers.append('Set-Cookie', await challengeCookie().serialize('', { maxAge: 0 }))
    const to = safeRedirect(form.get('redirectTo'), '/')
    // Recovery codes are shown once, right after enrolment, on their own page (sealed in a short cookie).
    if (r.recoveryCodes) {
      headers.append('Set-Cookie', await recoveryCodesCookie().serialize(sealTotpSecret(r.recoveryCodes.join(' '))))
      return redirect(`/login/recovery-codes?redirectTo=${encodeURIComponent(to)}`, { headers })
    }
    return redirect(to, { headers })
  })
}

export default function TwoFactor({ loaderData: d }: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const errors = result && 'errors' in result ? result.errors : undefined
  const [params] = useSearchParams()
  return (
    <div className="centered">
      <div className="card narrow">
        <h1>{d.enrol ? 'Set up two-factor sign-in' : 'Two-factor sign-in'}</h1>
        {d.enrol ? (
          <>
            <p>
              {d.email} must sign in with a second factor. Add this account to an authenticator app (1Password, Google
              Authenticator, Authy…) with the key below, then enter the code it shows.
            </p>
            <p>
              Key: <code>{d.enrol.secret}</code>
            </p>
            <p className="hint">
              Or open <a href={d.enrol.uri}>this otpauth link</a> on the phone.
            </p>
          </>
        ) : (
          <p>Enter the 6-digit code from your authenticator app for {d.email}.</p>
        )}
        {d.demoCode && <p className="hint">Demo only: the current code is {d.demoCode}.</p>}
        <PostForm errors={errors}>
          <input type="hidden" name="redirectTo" value={params.get('redirectTo') ?? '/'} />
          <Field label="Authentication code" name="code" autoComplete="one-time-code" errors={errors} />
          {!d.enrol && (
            <details>
              <summary>Use a recovery code instead</summary>
              <Field label="Recovery code" name="recoveryCode" errors={errors} />
            </details>
          )}
          <Button type="submit">{d.enrol ? 'Turn on and sign in' : 'Verify'}</Button>
        </PostForm>
        <p>
          <Link to="/login">Start again</Link>
        </p>
      </div>
    </div>
  )
}
