import { afterEach, beforeEach, vi } from 'vitest'
import { resetClock } from '../../services/platform/clock.ts'

// A console.error during a test is a bug the test did not see: fail it.
let errors: unknown[][] = []
beforeEach(() => {
  errors = []
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    errors.push(args)
  })
})
afterEach(() => {
  vi.restoreAllMocks()
  // Tests travel in time through the one clock; the next test starts in the present.
  resetClock()
  if (errors.length)
    throw new Error(`console.error was called:\n${errors.map((a) => a.map(String).join(' ')).join('\n')}`)
})
