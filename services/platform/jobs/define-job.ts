import type { JobName, ParsedJobPayload } from './registry.ts'

export interface JobContext {
  /** The outbox row id: stable across retries and relays, the key for idempotent effects. */
  jobId: string
  attempt: number
}

/** What a job does with its validated payload. Every step must be idempotent: a retry repeats it. */
export type JobHandler<N extends JobName> = (payload: ParsedJobPayload<N>, ctx: JobContext) => Promise<void>

export type JobHandlers = { [N in JobName]: JobHandler<N> }
