import { MODEL_SEED } from '../../services/certification/job-specification.ts'
import { expectedModel, type ModelShapeName } from '../../services/certification/known-models.ts'
import type { WeightType } from '../../certification-lab/synthesize-model.ts'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { unique } from './fixtures.ts'

/**
 * The platform's copies of the models a test file's jobs run, made up front as an operator makes
 * the standard suite: a request on a model the platform lacks waits ("preparing") for the worker.
 */
export async function knowModels(...models: [ModelShapeName, WeightType][]): Promise<void> {
  for (const [shape, type] of models.length ? models : ([['tiny', 'Q4_0']] as const))
    await expectedModel(shape, type, MODEL_SEED)
}

/**
 * The rows a badge stands on (a request, a runner, a completed job, an accepted result), written
 * straight to the database: for tests of what is read or sent about badges, not of how one is earned.
 */
export async function acceptedResultRows(organizationId: string): Promise<{ requestId: string; resultId: string }> {
  const requestId = newId()
  await db().certRequest.create({
    data: { id: requestId, organizationId, productName: 'Edge Box', sku: unique('EB'), createdById: 'x' },
  })
  const runnerId = newId()
  await db().certRunner.create({
    data: { id: runnerId, organizationId, name: 'r', publicKey: 'k', secretHash: unique('h'), fingerprint: {} },
  })
  const jobId = newId()
  await db().certJob.create({
    data: {
      id: jobId,
      organizationId,
      requestId,
      status: 'completed',
      nonce: unique('n'),
      modelShape: 'tiny',
      modelType: 'F16',
      modelSeed: 1,
      expectedModelSha256: 'x',
      nPrompt: 8,
      nGen: 8,
      repetitions: 1,
    },
  })
  const resultId = newId()
  await db().certResult.create({
    data: { id: resultId, jobId, organizationId, runnerId, payload: {}, signature: 's', checks: [], accepted: true },
  })
  return { requestId, resultId }
}
