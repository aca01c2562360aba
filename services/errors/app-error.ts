// The one error type of the domain. Routes map `code` to an HTTP status at the edge.
export const appErrorStatus = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 422,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
  unavailable: 503,
} as const

export type AppErrorCode = keyof typeof appErrorStatus

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message)
    this.name = 'AppError'
  }

  get status(): number {
    return appErrorStatus[this.code]
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof Error && e.name === 'AppError' && 'code' in e
}

/** PostgreSQL text cannot hold U+0000; a value carrying one is refused at the boundary, never stored. */
export function findNulPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || 'value' : null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findNulPath(value[i], [...path, String(i)])
      if (found) return found
    }
    return null
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const found = k.includes('\u0000') ? [...path, 'key'].join('.') : findNulPath(v, [...path, k])
      if (found) return found
    }
  }
  return null
}

export const NUL_MESSAGE = 'Text may not contain the NUL character (U+0000).'
