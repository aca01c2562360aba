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
  /** The process is at its capacity (not an outage): retry after Retry-After, on this or another process. */
  busy: 503,
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

/** Deeper than any body we accept: a JSON bomb of nested brackets is refused, not walked to a stack overflow. */
export const MAX_JSON_DEPTH = 64

/**
 * PostgreSQL text cannot hold U+0000; a value carrying one is refused at the boundary, never stored.
 * Walked with a stack of its own (no recursion), and a value nested deeper than MAX_JSON_DEPTH is an
 * AppError, so no body can overflow the call stack.
 */
export function findNulPath(value: unknown): string | null {
  const pending: { value: unknown; path: string[] }[] = [{ value, path: [] }]
  while (pending.length) {
    const { value: v, path } = pending.pop()!
    if (path.length > MAX_JSON_DEPTH)
      throw new AppError('bad_request', `The body is nested more than ${MAX_JSON_DEPTH} levels deep.`)
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path.join('.') || 'value'
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) pending.push({ value: v[i], path: [...path, String(i)] })
    } else if (v && typeof v === 'object') {
      const entries = Object.entries(v)
      for (const [k] of entries) if (k.includes('\u0000')) return [...path, 'key'].join('.')
      for (let i = entries.length - 1; i >= 0; i--)
        pending.push({ value: entries[i]![1], path: [...path, entries[i]![0]] })
    }
  }
  return null
}

export const NUL_MESSAGE = 'Text may not contain the NUL character (U+0000).'
