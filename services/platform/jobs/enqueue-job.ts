import type { Tx } from '../db/client.ts'
import { newId } from '../db/ids.ts'
import { jobCatalog, type JobName, type JobPayload } from './registry.ts'
import { toJsonColumn } from '../db/json-column.ts'

/**
 * Writes the job to the outbox inside the caller's transaction: it runs if and only if the change
 * it follows commits. The relay hands it to BullMQ.
 */
export async function enqueueJob<N extends JobName>(
  tx: Pick<Tx, 'outboxMessage'>,
  name: N,
  payload: JobPayload<N>,
): Promise<string> {
  const parsed = jobCatalog[name].payload.parse(payload)
  const id = newId()
  await tx.outboxMessage.create({ data: { id, jobName: name, payload: toJsonColumn(parsed) } })
  return id
}
