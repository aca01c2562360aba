/**
 * The one clock. Every "now" and "today" of the platform comes from here, so tests (and the demo)
 * travel in time by setting it instead of dating their data years ahead. Durations measured for
 * metrics use performance.now(), which no clock should move.
 */
import { shared } from './singleton.ts'

export interface Clock {
  now(): Date
}

// eslint-disable-next-line no-restricted-syntax -- the one place that reads the system time
export const systemClock: Clock = { now: () => new Date() }

// Shared by every copy of this module in the process: a test's travel reaches the built app server.
const current = shared<Clock>('clock', systemClock)

export const now = (): Date => current.value.now()
export const nowMs = (): number => current.value.now().getTime()
/** Today's date in UTC, as 2027-01-31. */
export const todayUtc = (): string => now().toISOString().slice(0, 10)

export function setClock(clock: Clock): void {
  current.value = clock
}

export function resetClock(): void {
  current.value = systemClock
}

/** A clock that stands still at `at` until moved; what time-travel tests use. */
export class ManualClock implements Clock {
  private ms: number
  constructor(at: Date | string) {
    this.ms = new Date(at).getTime()
  }
  now(): Date {
    return new Date(this.ms)
  }
  /** Jumps to an instant ("2027-04-02" means its midnight UTC). */
  travelTo(at: Date | string): void {
    this.ms = new Date(at).getTime()
  }
  advance(ms: number): void {
    this.ms += ms
  }
}

/** Installs a manual clock at `at` and returns it; tests call resetClock() when done. */
export function travelTo(at: Date | string): ManualClock {
  const clock = new ManualClock(at)
  setClock(clock)
  return clock
}
