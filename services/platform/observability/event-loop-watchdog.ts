import { Worker } from 'node:worker_threads'

/**
 * A process whose event loop stops turning (an endless loop, a sync call that never returns) answers
 * nothing, yet never exits, so no restart policy sees it (issue 24). The main thread bumps a shared
 * counter every quarter of the limit; a thread of its own, which keeps running while the main one is
 * stuck, kills the process when the counter has not moved for `stallMs`, for the supervisor (Fly's
 * restart policy, the demo's supervisor) to start a fresh one. It writes one line to stderr first, since
 * the main thread's logger is as stuck as the rest.
 */
export function startEventLoopWatchdog(role: string, stallMs: number): { stop(): void } | undefined {
  if (stallMs <= 0) return undefined
  const beat = new Int32Array(new SharedArrayBuffer(4))
  const tick = Math.max(Math.floor(stallMs / 4), 10)
  const timer = setInterval(() => Atomics.add(beat, 0, 1), tick)
  timer.unref()
  const watcher = new Worker(
    `
    const { workerData } = require('node:worker_threads')
    const { beat, stallMs, tick, role, pid } = workerData
    let seen = Atomics.load(beat, 0)
    let since = Date.now()
    setInterval(() => {
      const now = Atomics.load(beat, 0)
      if (now !== seen) { seen = now; since = Date.now(); return }
      const stalled = Date.now() - since
      if (stalled < stallMs) return
      require('node:fs').writeSync(2, JSON.stringify({ level: 60, time: Date.now(), role, stalledMs: stalled,
        msg: 'event loop stalled: killing the process for its supervisor to restart' }) + '\\n')
      process.kill(pid, 'SIGKILL')
    }, tick)
    `,
    // Plain CommonJS, without the process's loaders or flags (`--input-type=module` would make it ESM).
    { eval: true, execArgv: [], workerData: { beat, stallMs, tick, role, pid: process.pid } },
  )
  watcher.on('error', (err) => process.stderr.write(`event-loop watchdog stopped: ${String(err)}\n`))
  watcher.unref()
  return {
    stop() {
      clearInterval(timer)
      void watcher.terminate()
    },
  }
}
