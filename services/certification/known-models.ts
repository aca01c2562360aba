import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { extractVocab } from '../../native/extract-vocab.ts'
import { fileSha256 } from '../../certification-lab/file-digest.ts'
import { shapes, synthesizeModel, type WeightType } from '../../certification-lab/synthesize-model.ts'
import { dataDir } from '../config/env.ts'
import { singleton } from '../platform/singleton.ts'

/**
 * A job's model shape when the partner brings its own GGUF (named and pinned by its SHA-256) instead of a synthesized
 * one.
 */
export const PARTNER_MODEL = 'partner'

export type ModelShapeName = keyof typeof shapes
export const modelShapes = Object.keys(shapes) as ModelShapeName[]
export const weightTypes: WeightType[] = ['F16', 'Q8_0', 'Q4_0']

/**
 * The SHA-256 a runner's synthesized model must have: the platform synthesizes the same shape, type
 * and seed once and remembers the hash (same seed, same bytes).
 */
export async function expectedModelSha256(shape: ModelShapeName, type: WeightType, seed: number): Promise<string> {
  const cache = singleton('known-model-hashes', () => new Map<string, Promise<string>>())
  const key = `${shape}-${type}-${seed}`
  if (!cache.has(key)) {
    cache.set(
      key,
      (async () => {
        const dir = dataDir('models', 'known')
        await mkdir(dir, { recursive: true })
        const file = path.join(dir, `${key}.gguf`)
        if (existsSync(file)) return (await fileSha256(file)).sha256
        return (await synthesizeModel({ vocabPath: extractVocab(), outPath: file, shape: shapes[shape], seed, type }))
          .sha256
      })(),
    )
  }
  return cache.get(key)!
}
