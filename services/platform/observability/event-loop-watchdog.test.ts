import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'

// A child process that turns its loop normally for a while, then (when told) spins for ever.
const child = (spin: boolean) => `
  import { startEventLoopWatchdog } from './services/platform/observability/event-loop-watchdog.ts'
  startEventLoopWatchdog('test', 400)
  const until = performance.now() + 1200
  const wait = setInterval(() => {
    if (performance.now() < until) return
    clearInterval(wait)
    if (${spin}) for (;;) {}
    console.log('done')
  }, 20)
`

function run(spin: boolean) {
  const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child(spin)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  p.stdout.on('data', (c: Buffer) => (out += c.toString()))
  p.stderr.on('data', (c: Buffer) => (err += c.toString()))
  const started = performance.now()
  return new Promise<{ code: number | null; signal: string | null; out: string; err: string; ms: number }>((r) =>
    p.once('exit', (code, signal) => r({ code, signal, out, err, ms: performance.now() - started })),
  )
}

describe('the event-loop watchdog (issue 24)', () => {
  it('kills a process whose loop has stalled, saying so, for its supervisor to restart', async () => {
    const hung = await run(true)
    expect(hung.signal).toBe('SIGKILL')
    expect(hung.err).toContain('event loop stalled')
  }, 20_000)

  it('leaves a process alone while its loop turns, and lets it exit', async () => {
    const fine = await run(false)
    expect([fine.code, fine.signal, fine.out.trim()]).toEqual([0, null, 'done'])
  }, 20_000)
})
