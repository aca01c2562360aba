import type { Worker } from 'bullmq'
import { ensureDatabase } from '../services/platform/db/ensure-database.ts'
import { db } from '../services/platform/db/client.ts'
import { assertMigrated, migrate } from '../services/platform/db/migrate.ts'
import { assertLeastPrivilege } from '../services/platform/db/app-role.ts'
import { startOutboxRelay, type RelayHandle } from '../services/platform/jobs/relay-outbox.ts'
import { platformQueue } from '../services/platform/jobs/queue.ts'
import { jobHandlers } from './job-handlers.ts'
import { startReconciler } from '../services/platform/jobs/reconcile-outbox.ts'
import { startWorker } from '../services/platform/jobs/start-worker.ts'
import { logger } from '../services/platform/observability/logger.ts'
import { ensureRedis } from '../services/platform/redis/ensure-redis.ts'
import { assertSafeSamlLibraries } from '../services/sso/saml-libraries.ts'

export interface Infrastructure {
  databaseUrl: string
  redisUrl: string
  embedded: boolean
  /** The embedded database was created just now (first start): seed demo data. */
  freshEmbedded: boolean
}

/** Database (configured or embedded), migrations, Redis: everything a process needs before it serves. */
export async function bootInfrastructure(): Promise<Infrastructure> {
  // Before anything serves: a vulnerable SAML library would let anyone sign in as anyone.
  assertSafeSamlLibraries()
  const database = await ensureDatabase()
  const redisUrl = await ensureRedis()
  // Migrations run as the owner (DATABASE_URL); every query after them as the app role (decision 020).
  // A process given only APP_DATABASE_URL (production's web and worker) holds no owner credentials: the
  // release migrated, and it checks that it did.
  if (database.owner) {
    const { applied } = await migrate(database.url)
    if (applied.length) logger().info({ applied }, 'migrations applied')
  } else {
    await assertMigrated(database.url)
  }
  await assertLeastPrivilege()
  return { databaseUrl: database.url, redisUrl, embedded: database.embedded, freshEmbedded: database.created }
}

export interface Background {
  worker: Worker
  relay: RelayHandle
  stop: () => Promise<void>
}

/** The job worker plus the outbox relay: run by `npm run worker`, or in-process by `npm start`. */
export function startBackground(): Background {
  const worker = startWorker(jobHandlers)
  const relay = startOutboxRelay(db(), platformQueue())
  // Scheduled work (one scheduler per job, declared by every process) and jobs Redis lost: at start and
  // every minute, so an empty Redis after a restart is filled again without restarting the worker.
  const reconciler = startReconciler(db(), platformQueue())
  return {
    worker,
    relay,
    stop: async () => {
      reconciler.stop()
      await relay.stop()
      await worker.close()
    },
  }
}
