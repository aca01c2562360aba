import { AsyncLocalStorage } from 'node:async_hooks'
import { singleton } from '../singleton.ts'

export interface RequestContext {
  requestId: string
  ip?: string
  userAgent?: string
}

const storage = singleton('request-context', () => new AsyncLocalStorage<RequestContext>())

export const runWithRequestContext = <T>(ctx: RequestContext, fn: () => T): T => storage.run(ctx, fn)
export const currentRequest = (): RequestContext | undefined => storage.getStore()
