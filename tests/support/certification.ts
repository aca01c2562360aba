import { MODEL_SEED } from '../../services/certification/job-specification.ts'
import { expectedModel, type ModelShapeName } from '../../services/certification/known-models.ts'
import { db } from '../../services/db/client.ts'
import type { WeightType } from '../../certification-lab/synthesize-model.ts'

/**
 * The platform's copies of the models a test file's jobs run, made up front as an operator makes
 * the standard suite: a request on a model the platform lacks waits ("preparing") for the worker.
 * Test files run side by side: a lock per model lets one file synthesize it while the others wait
 * and then read its result, instead of each spending the same minute of CPU on the same bytes.
 */
export async function knowModels(...models: [ModelShapeName, WeightType][]): Promise<void> {
  for (const [shape, type] of models.length ? models : ([['tiny', 'Q4_0']] as const))
    await db().$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`test-known-model:${shape}-${type}`}))`
        await expectedModel(shape, type, MODEL_SEED)
      },
      { timeout: 300_000, maxWait: 10_000 },
    )
}
