import { env } from '../config/env.ts'
import { startEventLoopWatchdog } from './event-loop-watchdog.ts'
import { logger } from './logger.ts'
import { metrics } from './metrics.ts'

/**
 * Last-resort handlers for a web or worker process. An unhandled rejection is a bug on one request's
 * path: it is logged (its stack names the route) and counted, and the process serves on. An uncaught
 * exception may have left shared state half-changed: the process logs it and exits, for its supervisor
 * (Fly's restart policy, the demo's supervisor) to start a fresh one. A process that hangs (its event
 * loop stalled for WATCHDOG_STALL_MS) is killed by its watchdog for the same reason.
 */
export function installProcessGuards(role: 'web' | 'worker'): void {
  process.on('unhandledRejection', (reason) => {
    metrics().unhandledRejections.inc({ role })
    logger().error({ err: reason, role }, 'unhandled promise rejection')
  })
  process.on('uncaughtException', (err, origin) => {
    logger().fatal({ err, origin, role }, 'uncaught exception: exiting for the supervisor to restart')
    process.exitCode = 1
    setTimeout(() => process.exit(1), 200).unref()
  })
  startEventLoopWatchdog(role, env().WATCHDOG_STALL_MS)
}
