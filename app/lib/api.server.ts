import { isAppError } from '#services/errors/app-error.ts'

/** JSON errors for the public API: a stable code, a sentence a person can act on, details if any. */
export function apiError(status: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return Response.json({ error: { code, message, ...extra } }, { status })
}

export function apiFromError(e: unknown): Response {
  if (isAppError(e))
    return apiError(e.status, e.code, e.message, Object.keys(e.fieldErrors).length ? { fields: e.fieldErrors } : {})
  throw e
}
