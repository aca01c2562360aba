import { describe, expect, it, vi } from 'vitest'
import { restartDelayMs, SupervisedProcess } from './supervised-process.ts'

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe("the demo's supervisor", () => {
  it('waits 1 s, 2 s, 4 s… up to 30 s before each restart in a row', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000])
  })

  it('starts a crashed child again, a new process each time', async () => {
    const crashing = new SupervisedProcess({
      name: 'crashing',
      args: ['-e', 'process.exit(3)'],
      env: process.env,
      backoff: () => 20,
    })
    crashing.start()
    await vi.waitFor(() => expect(crashing.pids.length).toBeGreaterThanOrEqual(3), { timeout: 8000, interval: 20 })
    await crashing.stop()
    expect(new Set(crashing.pids).size).toBe(crashing.pids.length)
  })

  it('stops a running child with SIGTERM and never starts it again', async () => {
    const running = new SupervisedProcess({
      name: 'running',
      args: ['-e', 'setInterval(() => {}, 1000)'],
      env: process.env,
      backoff: () => 0,
    })
    running.start()
    const [pid] = running.pids
    expect(alive(pid!)).toBe(true)
    await running.stop()
    expect(alive(pid!)).toBe(false)
    // Absence of a restart can only be waited for: longer than its backoff of 0 ms.
    await new Promise((resolve) => setTimeout(resolve, 100))
    running.start()
    expect(running.pids).toEqual([pid])
  })
})
