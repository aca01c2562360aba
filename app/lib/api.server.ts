import { z } from 'zod'
import { AppError, findNulPath, isAppError, NUL_MESSAGE } from '#services/platform/errors/app-error.ts'
import { fieldErrorsOf, INVALID_INPUT_MESSAGE } from '#services/platform/errors/parse-input.ts'
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '#services/platform/db/database-unavailable.ts'

/** JSON errors for the public API: a stable code, a sentence a person can act on, details if any. */
export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error: { code, message, ...extra } }, { status })
}

/** The JSON body of an API call: malformed JSON is a 400 and a NUL character a 422, before anything runs. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text()
  if (!text.trim()) return {}
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (e) {
    throw new AppError('bad_request', `The body is not valid JSON (${(e as Error).message}).`)
  }
  const nul = findNulPath(body)
  if (nul) throw new AppError('invalid_input', NUL_MESSAGE, { [nul]: [NUL_MESSAGE] })
  return body
}

export const BUSY_RETRY_AFTER_SECONDS = 10

export function apiFromError(e: unknown): Response {
  // A service that parsed with zod itself: still the caller's bad input, never a 500.
  if (e instanceof z.ZodError)
    return apiError(422, 'invalid_input', INVALID_INPUT_MESSAGE, { fields: fieldErrorsOf(e) })
  if (isAppError(e)) {
    const res = apiError(
      e.status,
      e.code,
      e.message,
      Object.keys(e.fieldErrors).length ? { fields: e.fieldErrors } : {},
    )
    // A process at capacity (every upload slot taken) frees a slot as soon as an upload ends.
    if (e.code === 'busy') res.headers.set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS))
    return res
  }
  // An outage is not a bug: a machine told 503 and Retry-After sends again; a 500 it may not.
  if (isDatabaseUnavailable(e)) {
    const res = apiError(
      503,
      'unavailable',
      `${DATABASE_UNAVAILABLE_MESSAGE} A request sent again with the same Idempotency-Key takes effect once.`,
    )
    res.headers.set('Retry-After', '5')
    return res
  }
  throw e
}

/** The one tail of an API route: the app's errors as JSON (apiFromError), anything else a real failure. */
export async function apiAttempt(run: () => Promise<Response> | Response): Promise<Response> {
  try {
    return await run()
  } catch (e) {
    return apiFromError(e)
  }
}
