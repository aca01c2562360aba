import { z } from 'zod'
import type { RunConfiguration } from '../../certification-lab/benchmark/llama-bench.ts'
import { shapes, type ModelWorkload, type WeightType } from '../../certification-lab/synthesize-model.ts'
import type { DeclaredModel } from './declare-partner-model.ts'

// What the certification tables keep in JSON and free-text columns, parsed once where it is read
// (issue 27, docs/decisions/050-typed-persistence.md) instead of cast. Each schema states what the
// writer guaranteed: a result's payload passed upload-result's resultSchema, but its hardware is the
// runner's free word, so what is read of it is optional and a field of the wrong type reads as absent.

/** A field the writer did not check: absent, or of the wrong type, reads as undefined. */
const loose = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined)

// ---- CertJob.modelShape / modelType: the synthesized model a job runs --------------------------

export type ModelShapeName = keyof typeof shapes
export const modelShapes = Object.keys(shapes).filter((s): s is ModelShapeName => Object.hasOwn(shapes, s))
export const weightTypes = ['F16', 'Q8_0', 'Q4_0'] as const satisfies readonly WeightType[]

export const isModelShape = (s: string): s is ModelShapeName => Object.hasOwn(shapes, s)
export const isWeightType = (t: string): t is WeightType => weightTypes.some((w) => w === t)

/**
 * The shape and type of a job that runs a synthesized model (not PARTNER_MODEL): request-certification
 * allows only these names, so anything else is a bug.
 */
export function synthesizedModel(job: { modelShape: string; modelType: string }): {
  shape: ModelShapeName
  type: WeightType
} {
  const { modelShape: shape, modelType: type } = job
  if (!isModelShape(shape) || !isWeightType(type))
    throw new Error(`“${shape} ${type}” is not a model the platform synthesizes.`)
  return { shape, type }
}

// ---- CertJob.configuration and CertJob.declaredModel ---------------------------------------------

const runConfigurationSchema = z.looseObject({
  nBatch: z.number(),
  nUbatch: z.number(),
  flashAttention: z.boolean(),
  typeK: z.string(),
  typeV: z.string(),
}) satisfies z.ZodType<RunConfiguration>

export const readRunConfiguration = (stored: unknown): RunConfiguration => runConfigurationSchema.parse(stored)

const workloadSchema = z.object({
  nVocab: z.number(),
  nLayer: z.number(),
  nEmbdKv: z.number(),
  weightBytesPerToken: z.number(),
  layerParameters: z.number(),
  outputParameters: z.number(),
}) satisfies z.ZodType<ModelWorkload>

const declaredModelSchema = z.object({
  sha256: z.string(),
  headerSha256: z.string(),
  headerBytes: z.number(),
  architecture: z.string(),
  fileBytes: z.object({ min: z.number(), max: z.number() }),
  tensors: z.number(),
  parameters: z.number(),
  tensorBytes: z.number(),
  types: z.record(z.string(), z.number()),
  workload: workloadSchema,
}) satisfies z.ZodType<DeclaredModel>

/** CertJob.declaredModel: null for a synthesized model. */
export const readDeclaredModel = (stored: unknown): DeclaredModel | null =>
  stored === null || stored === undefined ? null : declaredModelSchema.parse(stored)

// ---- CertRunner.fingerprint ----------------------------------------------------------------------

const fingerprintSchema = z.looseObject({
  cpu: loose(
    z.looseObject({
      model: loose(z.string()),
      cores: loose(z.number()),
      threads: loose(z.number()),
      features: loose(z.array(z.string())),
    }),
  ),
  memoryBytes: loose(z.number()),
  gpus: loose(z.array(z.string())),
  backends: loose(z.array(z.string())),
})

/** What a runner said of its machine when it registered (register-runner checked it then). */
export type StoredFingerprint = z.infer<typeof fingerprintSchema>

export const readFingerprint = (stored: unknown): StoredFingerprint => fingerprintSchema.parse(stored ?? {})

// ---- CertResult.payload and CertResult.checks ----------------------------------------------------

const recordSchema = z.looseObject({
  n_prompt: z.number(),
  n_gen: z.number(),
  avg_ts: z.number(),
  stddev_ts: z.number(),
  samples_ts: z.array(z.number()),
  backends: loose(z.string()),
  n_batch: loose(z.number()),
  n_ubatch: loose(z.number()),
  n_threads: loose(z.number()),
  flash_attn: loose(z.number()),
  type_k: loose(z.string()),
  type_v: loose(z.string()),
  n_gpu_layers: loose(z.number()),
})

const payloadSchema = z.looseObject({
  records: loose(z.array(recordSchema)),
  // The machine as measured: the registered fingerprint's fields, and the software that ran.
  hardware: loose(
    fingerprintSchema.extend({
      os: loose(z.looseObject({ platform: loose(z.string()), release: loose(z.string()), arch: loose(z.string()) })),
      nodeLlamaCpp: loose(z.string()),
      llamaCpp: loose(z.string()),
    }),
  ),
  model: loose(
    z.looseObject({
      shape: loose(z.string()),
      type: loose(z.string()),
      seed: loose(z.number()),
      sha256: loose(z.string()),
      bytes: loose(z.number()),
    }),
  ),
  proof: z.unknown().optional(),
})

/** A result's signed payload as read back: the measurements and what the runner said of its machine. */
export type StoredPayload = z.infer<typeof payloadSchema>
export type StoredRecord = z.infer<typeof recordSchema>

export const readPayload = (stored: unknown): StoredPayload => payloadSchema.parse(stored ?? {})

const checkSchema = z.object({
  check: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  /** Not a refusal: what a certification engineer must look at before the badge is public. */
  review: z.boolean().optional(),
})

/** One verdict on a result: which check, whether it passed, the figures behind it. */
export type Check = z.infer<typeof checkSchema>

/** CertResult.checks, written by upload-result and verify-execution. */
export const readChecks = (stored: unknown): Check[] => z.array(checkSchema).parse(stored)

// ---- CertBadge.summary ---------------------------------------------------------------------------

const speed = z.object({ n: z.number(), ts: z.number(), sd: z.number() })
const badgeSummarySchema = z.object({
  shape: z.string(),
  type: z.string(),
  pp: speed,
  tg: speed,
  cpu: z.string(),
  backends: z.array(z.string()),
})

/** A badge's numbers as settle-result wrote them: the model, both speeds, the CPU and the backends. */
export type BadgeSummary = z.infer<typeof badgeSummarySchema>

export const readBadgeSummary = (stored: unknown): BadgeSummary => badgeSummarySchema.parse(stored)
