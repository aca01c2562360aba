import { unscopedDb } from '../platform/db/unscoped.ts'
import { expectedModel } from './known-models.ts'
import { isModelShape, isWeightType } from './stored-certification.ts'

/**
 * The worker's synthesis of a model that jobs wait for ("preparing"): made once (written to a
 * temporary file and renamed, its digest kept beside it), then every job waiting for it gets its
 * SHA-256 and joins the queue. Idempotent: a retry finds the model made and the jobs queued.
 */
export async function prepareModel(model: { shape: string; type: string; seed: number }): Promise<number> {
  const { shape, type } = model
  if (!isModelShape(shape) || !isWeightType(type)) return 0
  const { sha256 } = await expectedModel(shape, type, model.seed)
  const { count } = await unscopedDb('platform job').certJob.updateMany({
    where: { status: 'preparing', modelShape: model.shape, modelType: model.type, modelSeed: model.seed },
    data: { status: 'queued', expectedModelSha256: sha256, progress: null },
  })
  return count
}
