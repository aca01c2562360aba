import type { Tx } from '../db/client.ts'
import type { Prisma } from '../db/generated/client.ts'
import { newId } from '../db/ids.ts'
import type { JobName, JobPayload } from './registry.ts'

/**
 * Writes the job to the outbox inside the caller's transaction: it runs if and only if the change
 * it follows commits. The relay hands it to BullMQ. The registry is loaded on first use: job
 * modules enqueue other jobs, and a static import would make a cycle through the registry.
 */
export async function enqueueJob<N extends JobName>(
  tx: Pick<Tx, 'outboxMessage'>,
  name: N,
  payload: JobPayload<N>,
): Promise<string> {
  const { jobDefinition } = await import('./registry.ts')
  const parsed = jobDefinition(name).payload.parse(payload)
  const id = newId()
  await tx.outboxMessage.create({ data: { id, jobName: name, payload: parsed as Prisma.InputJsonValue } })
  return id
}
