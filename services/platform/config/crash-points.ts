import { writeSync } from 'node:fs'
import { env } from './env.ts'

/** The places where a crash test may kill the process: each name says where it lands. */
export const crashPoints = [
  'relay:after-add',
  'posting:report-stored',
  'posting:upload-posted',
  'posting:rated',
  'posting:before-commit',
] as const
export type CrashPoint = (typeof crashPoints)[number]

/**
 * Crash tests set CRASH_AT to prove that dying at that instant loses and doubles nothing. The process
 * says where it is (synchronously, so the words are out before it dies) and kills itself. Unset in
 * every other environment.
 */
export function crashPointForTests(point: CrashPoint): void {
  if (env().CRASH_AT !== point) return
  writeSync(1, `crash point ${point}\n`)
  process.kill(process.pid, 'SIGKILL')
}
