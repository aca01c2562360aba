import { data, redirect, useSearchParams } from 'react-router'
import type { Route } from './+types/recovery-codes'
import { actorContext } from '#app/lib/context.server.ts'
import { safeRedirect } from '#app/lib/session.server.ts'
import { recoveryCodesCookie } from '#app/lib/two-factor.server.ts'
import { openTotpSecret } from '#services/identity/totp-secret.ts'

export const meta: Route.MetaFunction = () => [{ title: 'Recovery codes · ggml.ai' }]

// Shown once, right after enrolment: the cookie that carries them is cleared by this very response.
export async function loader({ request, context }: Route.LoaderArgs) {
  const sealed = (await recoveryCodesCookie().parse(request.headers.get('Cookie'))) as string | null
  const next = safeRedirect(new URL(request.url).searchParams.get('redirectTo'), '/')
  if (!sealed || !context.get(actorContext)) throw redirect(next)
  let codes: string[]
  try {
    codes = openTotpSecret(sealed).split(' ')
  } catch {
    throw redirect(next)
  }
  return data(
    { codes, next },
    {
      headers: { 'Set-Cookie': await recoveryCodesCookie().serialize('', { maxAge: 0 }), 'Cache-Control': 'no-store' },
    },
  )
}

export default function RecoveryCodes({ loaderData: d }: Route.ComponentProps) {
  useSearchParams()
  return (
    <div className="centered">
      <div className="card narrow">
        <h1>Two-factor sign-in is on</h1>
        <p>Keep these recovery codes somewhere safe. Each signs you in once if you lose your phone.</p>
        <ul className="recovery-codes">
          {d.codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <p>
          <a className="btn btn-primary" href={d.next}>
            I have saved them, continue
          </a>
        </p>
      </div>
    </div>
  )
}
