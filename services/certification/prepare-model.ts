import type { WeightType } from '../../certification-lab/synthesize-model.ts'
import { db } from '../db/client.ts'
import { expectedModel, modelShapes, weightTypes, type ModelShapeName } from './known-models.ts'

/**
 * The worker's synthesis of a model that jobs wait for ("preparing"): made once (written to a
 * temporary file and renamed, its digest kept beside it), then every job waiting for it gets its
 * SHA-256 and joins the queue. Idempotent: a retry finds the model made and the jobs queued.
 */
export async function prepareModel(model: { shape: string; type: string; seed: number }): Promise<number> {
  if (!modelShapes.includes(model.shape as ModelShapeName) || !weightTypes.includes(model.type as WeightType)) return 0
  const { sha256 } = await expectedModel(model.shape as ModelShapeName, model.type as WeightType, model.seed)
  const { count } = await db().certJob.updateMany({
    where: { status: 'preparing', modelShape: model.shape, modelType: model.type, modelSeed: model.seed },
    data: { status: 'queued', expectedModelSha256: sha256, progress: null },
  })
  return count
}
