/**
 * How slowly a request body may arrive (issue 24). A report streams into a COPY that holds a pooled
 * connection while its body arrives, so a client sending a few bytes a second holds that connection for
 * hours; five organizations doing so held every connection. A body that sends nothing for `idleMs`, or
 * averages under `minBytesPerSecond` once `graceMs` have passed, is refused with 408.
 */
export interface BodyPace {
  idleMs: number
  /** 0: no floor, only the idle deadline. */
  minBytesPerSecond: number
  graceMs: number
}

/**
 * A body's progress, counting only time the server spent waiting on the client: while the reader is busy
 * (the COPY waits for PostgreSQL, the route has not started reading) the socket is paused and the client
 * cannot send, which is not its fault.
 */
export interface BodyProgress {
  bytes: number
  waitedMs: number
  /** Waiting on the client since its last byte. */
  idleMs: number
}

export type TooSlow = 'idle' | 'slow'

/** Whether to stop waiting for the rest of a body, and why. */
export function bodyTooSlow(p: BodyProgress, pace: BodyPace): TooSlow | null {
  if (p.idleMs >= pace.idleMs) return 'idle'
  // Integers only: bytes per second below the floor is bytes * 1000 < floor * ms.
  if (pace.minBytesPerSecond > 0 && p.waitedMs >= pace.graceMs && p.bytes * 1000 < pace.minBytesPerSecond * p.waitedMs)
    return 'slow'
  return null
}

/** What to tell the person (or the ERP's operator) whose body was refused. */
export function bodyTooSlowMessage(why: TooSlow, p: BodyProgress, pace: BodyPace): string {
  const seconds = (ms: number) => `${Math.round(ms / 1000)} s`
  const what =
    why === 'idle'
      ? `No part of the request body arrived for ${seconds(pace.idleMs)}`
      : `The request body arrived at ${Math.floor((p.bytes * 1000) / Math.max(p.waitedMs, 1))} bytes per second ` +
        `over ${seconds(p.waitedMs)}, below the ${pace.minBytesPerSecond} bytes per second the server waits for`
  return (
    `${what}, so the server stopped waiting and nothing was stored. Send it again in one go from a ` +
    'connection that keeps sending (a file that is still being written, or a paused or very slow link, is cut off).'
  )
}
