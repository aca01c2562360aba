import { logger } from '../services/observability/logger.ts'
import { bootInfrastructure, startBackground } from '../services/platform/boot.ts'

import { installProcessGuards } from '../services/observability/process-guards.ts'

// `npm run worker`: the job worker and outbox relay alone, for a separate Fly process group.
installProcessGuards('worker')
const infra = await bootInfrastructure()
const background = startBackground()
logger().info({ embedded: infra.embedded }, 'worker started')
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void background.stop().then(() => process.exit(0))
  })
}
