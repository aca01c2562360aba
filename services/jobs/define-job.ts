import type { z } from 'zod'

export interface JobContext {
  /** The outbox row id: stable across retries and relays, the key for idempotent effects. */
  jobId: string
  attempt: number
}

// A job is a name, a payload schema and a handler whose every step is idempotent.
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string
  payload: S
  handle: (payload: z.infer<S>, ctx: JobContext) => Promise<void>
}

export const defineJob = <S extends z.ZodType>(def: JobDefinition<S>): JobDefinition<S> => def
