import { z } from 'zod'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { extractVocab } from '../../native/extract-vocab.ts'
import { fileSha256 } from '../../certification-lab/file-digest.ts'
import {
  modelWorkload,
  shapes,
  synthesizeModel,
  type ModelWorkload,
  type WeightType,
} from '../../certification-lab/synthesize-model.ts'
import { readGguf, ValueType } from '../../certification-lab/gguf/gguf.ts'
import { dataDir } from '../platform/config/env.ts'
import { singleton } from '../platform/singleton.ts'
import type { ModelShapeName } from './stored-certification.ts'

/**
 * A job's model shape when the partner brings its own GGUF (named and pinned by its SHA-256) instead of a synthesized
 * one.
 */
export const PARTNER_MODEL = 'partner'

export { modelShapes, weightTypes, type ModelShapeName } from './stored-certification.ts'

/**
 * The CI-class shapes prove the pipeline only: they fit in a CPU's caches, so no bandwidth bound
 * holds them, and they say nothing about real models. Their results are checked like any other but
 * never earn a badge or a place in the directory; badges need the standard suite (1B- and 7B-class)
 * or a partner's own model.
 */
export const PIPELINE_SHAPES: readonly string[] = ['tiny', 'small']
export const earnsBadge = (shape: string) => !PIPELINE_SHAPES.includes(shape)

/** How a badge, the directory and the badge page name a synthesized shape. */
export const shapeClass: Readonly<Record<string, string>> = {
  tiny: 'CI-class',
  small: 'small-class',
  '1b': '1B-class',
  '7b': '7B-class',
}
/** "1B-class Q4_0"; a partner's own model by the name it was requested under ("Own-Llama Q8_0"). */
export const modelName = (m: { shape: string; type: string }) =>
  m.shape === PARTNER_MODEL ? m.type : `${shapeClass[m.shape] ?? m.shape} ${m.type}`

const digestSchema = z.object({ sha256: z.string(), bytes: z.number() })
type Digest = z.infer<typeof digestSchema>

/**
 * The platform's copy of a model if it has synthesized it already, without synthesizing: its digest
 * is kept beside the file (written after the file was renamed into place), so asking costs no hash
 * of a multi-gigabyte file. Undefined: the worker has yet to synthesize it.
 */
export async function knownModel(shape: ModelShapeName, type: WeightType, seed: number): Promise<Digest | undefined> {
  const file = knownModelPath(shape, type, seed)
  try {
    return digestSchema.parse(JSON.parse(await readFile(`${file}.json`, 'utf8')))
  } catch {
    return undefined
  }
}

/**
 * What a runner's synthesized model must be: the platform synthesizes the same shape, type and seed
 * once and remembers its SHA-256 and size (same seed, same bytes). The size is the platform's, never
 * the runner's word: the roofline divides by it. Synthesis of a 1B- or 7B-class model takes minutes:
 * requests leave it to the worker (prepare-model) and only ask knownModel.
 */
export async function expectedModel(shape: ModelShapeName, type: WeightType, seed: number): Promise<Digest> {
  const cache = singleton('known-models', () => new Map<string, Promise<Digest>>())
  const key = `${shape}-${type}-${seed}`
  if (!cache.has(key)) {
    cache.set(
      key,
      (async () => {
        const known = await knownModel(shape, type, seed)
        if (known) return known
        const file = knownModelPath(shape, type, seed)
        await mkdir(path.dirname(file), { recursive: true })
        const digest = existsSync(file)
          ? await fileSha256(file)
          : await synthesizeModel({ vocabPath: extractVocab(), outPath: file, shape: shapes[shape], seed, type })
        const sidecar = { sha256: digest.sha256, bytes: digest.bytes }
        await writeFile(`${file}.json.partial-${process.pid}`, JSON.stringify(sidecar))
        await rename(`${file}.json.partial-${process.pid}`, `${file}.json`)
        return sidecar
      })(),
    )
  }
  return cache.get(key)!
}

/** Where the platform keeps its copy of a synthesized model (present once expectedModel has run). */
export const knownModelPath = (shape: ModelShapeName, type: WeightType, seed: number) =>
  // v2: Q8_0 rounds halves away from zero, as ggml's roundf (a copy from before differs in bytes).
  path.join(dataDir('models', 'known', 'v2'), `${shape}-${type}-${seed}.gguf`)

/** The tensor table's cost per token of a synthesized model, for the physical bounds. */
export async function knownWorkload(shape: ModelShapeName, type: WeightType): Promise<ModelWorkload> {
  const nVocab = await singleton('vocab-size', async () => {
    const tokens = (await readGguf(extractVocab())).metadata.get('tokenizer.ggml.tokens')
    return tokens?.type === ValueType.ARRAY ? tokens.value.length : 32000
  })
  return modelWorkload(shapes[shape], type, nVocab)
}
