import pino from 'pino'
import { env } from '../config/env.ts'
import { singleton } from '../singleton.ts'
import { currentRequest } from './request-context.ts'

// JSON lines to stdout; every line logged inside a request carries its request id.
export function logger(): pino.Logger {
  return singleton('logger', () =>
    pino({
      level: env().LOG_LEVEL ?? (env().NODE_ENV === 'test' ? 'silent' : 'info'),
      base: { service: 'ggml-platform' },
      mixin: () => {
        const req = currentRequest()
        return req ? { requestId: req.requestId } : {}
      },
      redact: ['password', '*.password', 'token', '*.token', 'headers.cookie'],
    }),
  )
}
