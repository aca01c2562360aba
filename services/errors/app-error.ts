// The one error type of the domain. Routes map `code` to an HTTP status at the edge.
export const appErrorStatus = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid_input: 422,
  conflict: 409,
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
