import { spawn, type ChildProcess } from 'node:child_process'
import { logger } from '../services/platform/observability/logger.ts'

/** How long the demo's supervisor waits before the n-th restart in a row (n from 0): 1 s, 2 s, 4 s… 30 s. */
export const restartDelayMs = (failures: number): number => Math.min(30_000, 1000 * 2 ** failures)

/** A child that ran this long before exiting failed afresh: its backoff starts again from the first delay. */
const HEALTHY_RUN_MS = 60_000

export interface SupervisedOptions {
  name: string
  /** Arguments to node: `['--import', 'tsx', 'server/main.ts']`. */
  args: string[]
  /** The whole environment, fixed when the process is set up: every restart gets the same. */
  env: NodeJS.ProcessEnv
  backoff?: (failures: number) => number
}

/**
 * One child of the demo's supervisor (server/demo.ts), as Fly's restart policy keeps a production process:
 * started again whenever it exits, after a delay that grows while it keeps failing, until stop().
 */
export class SupervisedProcess {
  private child?: ChildProcess
  private failures = 0
  private stopped = false
  private restartTimer?: NodeJS.Timeout
  /** Every process id started, in order. */
  readonly pids: number[] = []

  constructor(private readonly o: SupervisedOptions) {}

  start(): void {
    if (this.stopped) return
    // Durations, not dates: performance.now(), which no clock moves.
    const startedAt = performance.now()
    // An IPC channel, unused but for its end: a child whose supervisor dies sees 'disconnect' and stops.
    const child = spawn(process.execPath, this.o.args, {
      env: this.o.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    this.child = child
    if (child.pid) this.pids.push(child.pid)
    logger().info({ process: this.o.name, pid: child.pid }, 'demo: started')
    child.once('exit', (code, signal) => {
      this.child = undefined
      if (this.stopped) return
      if (performance.now() - startedAt > HEALTHY_RUN_MS) this.failures = 0
      const delayMs = (this.o.backoff ?? restartDelayMs)(this.failures++)
      logger().warn({ process: this.o.name, code, signal, restartInMs: delayMs }, 'demo: process exited; restarting')
      this.restartTimer = setTimeout(() => this.start(), delayMs)
    })
  }

  /** SIGTERM, then SIGKILL after ten seconds; resolves once the child has exited. Never restarted after. */
  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.restartTimer)
    const child = this.child
    if (!child) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill('SIGTERM')
    const forced = setTimeout(() => child.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(forced)
  }
}
