import { jobHandlers } from '../../server/job-handlers.ts'
import { db } from '../../services/platform/db/client.ts'
import { platformQueue } from '../../services/platform/jobs/queue.ts'
import { relayOutboxOnce } from '../../services/platform/jobs/relay-outbox.ts'
import { startWorker } from '../../services/platform/jobs/start-worker.ts'

// A separate process for the outbox crash test, so it can really be killed: `relay` moves the
// outbox to BullMQ in batches of 10; `work` then runs every queued job with the real worker.
const modes = new Set(process.argv.slice(2))
const queue = platformQueue()
if (modes.has('relay')) while ((await relayOutboxOnce(db(), queue, 10)) > 0);
if (modes.has('work')) {
  const worker = startWorker(jobHandlers, 4)
  for (;;) {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized')
    if (Object.values(counts).every((n) => n === 0)) break
    await new Promise((r) => setTimeout(r, 25))
  }
  await worker.close()
}
process.exit(0)
