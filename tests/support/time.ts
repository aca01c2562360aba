import { beforeAll, beforeEach } from 'vitest'
import { travelTo } from '../../services/platform/clock.ts'

/** An instant after every period the royalty tests report (they file 2027 and 2028 periods). */
export const AFTER_THE_DATA = '2029-01-02T09:00:00Z'

/**
 * Puts a whole test file at one instant through the platform's clock: before its beforeAll (so the
 * sessions it opens are fresh then) and before each test (the shared setup resets the clock after each).
 */
export function livingAt(at = AFTER_THE_DATA): void {
  beforeAll(() => {
    travelTo(at)
  })
  beforeEach(() => {
    travelTo(at)
  })
}
