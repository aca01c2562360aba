import { MODEL_SEED } from '../../services/certification/job-specification.ts'
import { expectedModel, type ModelShapeName } from '../../services/certification/known-models.ts'
import type { WeightType } from '../../certification-lab/synthesize-model.ts'

/**
 * The platform's copies of the models a test file's jobs run, made up front as an operator makes
 * the standard suite: a request on a model the platform lacks waits ("preparing") for the worker.
 */
export async function knowModels(...models: [ModelShapeName, WeightType][]): Promise<void> {
  for (const [shape, type] of models.length ? models : ([['tiny', 'Q4_0']] as const))
    await expectedModel(shape, type, MODEL_SEED)
}
