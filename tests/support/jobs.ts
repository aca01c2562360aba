import { Worker } from 'bullmq'
import { db } from '../../services/platform/db/client.ts'
import { platformQueue } from '../../services/platform/jobs/queue.ts'
import { relayOutboxOnce } from '../../services/platform/jobs/relay-outbox.ts'
import { jobHandlers } from '../../server/job-handlers.ts'
import { startWorker } from '../../services/platform/jobs/start-worker.ts'

let worker: Worker | undefined

/**
 * Relays the outbox and waits until the real worker has run every queued job. Delayed jobs (a retry
 * waiting out its backoff) are not waited for: test files share a worker's database, so the outbox may
 * hold another file's jobs (an invoice for a Stripe server that file booted), which fail here and
 * retry later; each test asserts the outcome of its own jobs.
 */
// 20 s: on two cores, with the other lane's browser and llama.cpp tests running, PDF statements and
// Stripe round trips queue up behind each other.
// `waitingFor`: job names whose delayed jobs are waited for too, for a test whose own jobs wait for a
// slot (a webhook delivery behind another to the same endpoint waits 2 s, spending no attempt).
export async function drainJobs(timeoutMs = 20_000, waitingFor: string[] = []): Promise<void> {
  worker ??= startWorker(jobHandlers, 2)
  while ((await relayOutboxOnce(db(), platformQueue())) > 0);
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const counts = await platformQueue().getJobCounts('waiting', 'active', 'prioritized')
    const waiting = waitingFor.length
      ? (await platformQueue().getJobs(['delayed'])).filter((j) => waitingFor.includes(j.name)).length
      : 0
    if (Object.values(counts).every((n) => n === 0) && waiting === 0) return
    if (Date.now() > deadline) {
      // Name what is stuck, so a slow job is found from the failure alone.
      const stuck = (await platformQueue().getJobs(['active', 'waiting'], 0, 20)).map((j) => j.name)
      throw new Error(`jobs still pending after ${timeoutMs} ms: ${JSON.stringify(counts)}; ${stuck.join(', ')}`)
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}
