import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { othersBusy, waitForQuiet } from './quiet-machine.ts'

describe('waiting for a quiet machine', () => {
  it('sees other processes’ CPU use, says so while it waits, and gives up when told', async () => {
    // One spinning process per core: the machine is busy whatever else runs.
    const spinners = Array.from({ length: availableParallelism() }, () =>
      spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
    )
    try {
      await new Promise((r) => setTimeout(r, 300))
      expect(await othersBusy(500)).toBeGreaterThan(0.6)
      const seen: number[] = []
      const q = await waitForQuiet({ threshold: 0.3, maxWaitMs: 2000, onBusy: (b) => seen.push(b) })
      expect(q.quiet).toBe(false)
      expect(seen).toHaveLength(2)
    } finally {
      for (const s of spinners) s.kill()
    }
    expect(await waitForQuiet({ maxWaitMs: 0 })).toEqual({ busy: null, quiet: true })
  })
})
