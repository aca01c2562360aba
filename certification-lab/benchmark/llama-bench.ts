import { createHash } from 'node:crypto'
import { cpuSnapshot, othersShare } from '../quiet-machine.ts'
import os from 'node:os'
import type { Llama, LlamaContextSequence, LlamaModel } from 'node-llama-cpp'
import { sharedLlama } from './llama.ts'

/**
 * Inference benchmarks measured the way llama-bench measures them, through node-llama-cpp (the real
 * llama.cpp): prompt processing (pp: n_prompt tokens in batches of n_batch) and generation (tg:
 * n_gen single-token decodes), an untimed warm-up, the KV cache cleared before each repetition,
 * avg_ts the mean of per-repetition tokens/s, stddev_ts their sample standard deviation, raw
 * samples kept. Input tokens are drawn from a seed derived from the job's nonce, so a result can
 * be neither replayed nor precomputed. Records use llama-bench's JSON field names.
 */
export interface BenchOptions {
  modelPath: string
  nonce: string
  threads?: number
  nPrompt?: number
  nGen?: number
  repetitions?: number
  /** More repetitions, up to maxRepetitions, while the coefficient of variation exceeds targetCv. */
  targetCv?: number
  maxRepetitions?: number
  /** The job's specification; the records say what ran. */
  configuration?: RunConfiguration
  /** On by default: llama-bench's default (auto) turns it on wherever the backend supports it. */
  flashAttention?: boolean
  gpu?: GpuChoice
  /** After each timed repetition: the test ("pp512", "tg128"), how many so far, its tokens/s. */
  onSample?: (test: string, repetitions: number, tokensPerSecond: number) => void
  /** Before each test's warm-up, with the model loaded: e.g. to wait for a quiet machine. */
  beforeTest?: (test: string) => Promise<void>
}

/**
 * What a job specifies the run with, and what the records must say ran. node-llama-cpp has one
 * batch size (its physical batch equals its logical one), so nBatch and nUbatch are equal.
 */
export interface RunConfiguration {
  nBatch: number
  nUbatch: number
  flashAttention: boolean
  typeK: string
  typeV: string
}
export const defaultConfiguration: RunConfiguration = {
  nBatch: 512,
  nUbatch: 512,
  flashAttention: true,
  typeK: 'f16',
  typeV: 'f16',
}

/** The backend to measure: false for llama.cpp's CPU backend, else a GPU backend (or the best one found). */
export type GpuChoice = false | 'auto' | 'cuda' | 'vulkan' | 'metal'
export const gpuChoices = ['auto', 'cuda', 'vulkan', 'metal'] as const

export interface LlamaBenchRecord {
  build_commit: string
  build_number: number
  cpu_info: string
  gpu_info: string
  backends: string
  model_filename: string
  model_type: string
  model_size: number
  model_n_params: number
  n_batch: number
  n_ubatch: number
  n_threads: number
  type_k: string
  type_v: string
  n_gpu_layers: number
  /** 1 on, 0 off (this llama-bench writes a number: -1 is its "auto") */
  flash_attn: number
  use_mmap: boolean
  n_prompt: number
  n_gen: number
  n_depth: number
  test_time: string
  avg_ns: number
  stddev_ns: number
  avg_ts: number
  stddev_ts: number
  samples_ns: number[]
  samples_ts: number[]
  /** The runner's, not llama-bench's: the share of the CPU other processes used during the samples. */
  other_cpu_share?: number
  /** The runner's: file pages the kernel read back after reclaiming them, during the samples. */
  file_refaults?: number
  [extra: string]: unknown
}

/** mulberry32 over the nonce's SHA-256: the input tokens of a run follow from its nonce. */
export function tokenStream(nonce: string, nVocab: number) {
  let a = createHash('sha256').update(nonce).digest().readUInt32LE(0)
  return () => {
    a |= 0
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return (((t ^ (t >>> 14)) >>> 0) % (nVocab - 3)) + 3 // skip the special tokens
  }
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
export function sampleStddev(xs: number[]): number {
  if (xs.length < 2) return 0
  const m = mean(xs)
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1))
}

/**
 * Set UV_THREADPOOL_SIZE=1 in the environment of the process that runs this (before it starts):
 * node-llama-cpp decodes on libuv's pool, and with the default four pool threads consecutive
 * decodes land on different threads; with two cores, tg128 measured 100 t/s instead of 450-520
 * (docs/decisions/007).
 */
export async function runLlamaBench(opts: BenchOptions): Promise<LlamaBenchRecord[]> {
  const threads = opts.threads ?? os.availableParallelism()
  const nPrompt = opts.nPrompt ?? 512
  const nGen = opts.nGen ?? 128
  const reps = opts.repetitions ?? 5
  const config = opts.configuration ?? defaultConfiguration
  // maxThreads pinned to what we measure with: node-llama-cpp otherwise allows max(cores, 4), and
  // oversubscribing two cores with four threads alone halves throughput.
  const llama = await sharedLlama(opts.gpu ?? false, threads)
  const model = await llama.loadModel({ modelPath: opts.modelPath, gpuLayers: opts.gpu ? 'max' : 0 })
  try {
    const records: LlamaBenchRecord[] = []
    if (nPrompt > 0) records.push(await measure(llama, model, opts, { threads, nPrompt, nGen: 0, reps, config }))
    if (nGen > 0) records.push(await measure(llama, model, opts, { threads, nPrompt: 0, nGen, reps, config }))
    return records
  } finally {
    await model.dispose()
  }
}

async function measure(
  llama: Llama,
  model: LlamaModel,
  opts: BenchOptions,
  p: { threads: number; nPrompt: number; nGen: number; reps: number; config: RunConfiguration },
): Promise<LlamaBenchRecord> {
  await opts.beforeTest?.(p.nPrompt ? `pp${p.nPrompt}` : `tg${p.nGen}`)
  const context = await model.createContext({
    contextSize: Math.max(256, p.nPrompt + p.nGen + 16),
    // One batch size in node-llama-cpp: its JS queue splits a longer prompt into batches of it.
    batchSize: p.config.nUbatch,
    threads: { ideal: p.threads, min: p.threads },
    sequences: 1,
    flashAttention: flashAttentionOf(opts, p.config),
    ...(p.config.typeK !== 'f16' && { experimentalKvCacheKeyType: p.config.typeK.toUpperCase() as never }),
    ...(p.config.typeV !== 'f16' && { experimentalKvCacheValueType: p.config.typeV.toUpperCase() as never }),
    // Dispatch each evaluation at once: the default waits for the next event-loop cycle, which
    // costs more than a whole token on a small model.
    batching: { dispatchSchedule: (dispatch) => dispatch() },
  })
  const sequence = context.getSequence()
  const next = tokenStream(
    `${opts.nonce}:${p.nPrompt}:${p.nGen}`,
    Number((model.fileInfo.metadata as { llama?: { vocab_size?: number } }).llama?.vocab_size ?? 32000),
  )
  const run = async () => {
    await sequence.clearHistory()
    const start = process.hrtime.bigint()
    if (p.nPrompt > 0) await decodeLikeLlamaBench(sequence, Array.from({ length: p.nPrompt }, next))
    else for (let i = 0; i < p.nGen; i++) await decodeLikeLlamaBench(sequence, [next()])
    return Number(process.hrtime.bigint() - start)
  }
  await run() // warm-up, untimed
  const n = p.nPrompt + p.nGen
  const samplesNs: number[] = []
  const samplesTs: number[] = []
  const sample = async () => {
    const ns = await run()
    samplesNs.push(ns)
    samplesTs.push((n * 1e9) / ns)
    opts.onSample?.(p.nPrompt ? `pp${p.nPrompt}` : `tg${p.nGen}`, samplesTs.length, samplesTs.at(-1)!)
  }
  const cpuBefore = await cpuSnapshot()
  for (let i = 0; i < p.reps; i++) await sample()
  // "More until the spread is small": every sample is kept (none dropped), so extra runs can only
  // tighten the estimate of the mean, not pick the best ones.
  while (
    sampleStddev(samplesTs) / mean(samplesTs) > (opts.targetCv ?? 0.02) &&
    samplesNs.length < (opts.maxRepetitions ?? p.reps * 4)
  )
    await sample()
  const cpuAfter = await cpuSnapshot()
  const others = othersShare(cpuBefore, cpuAfter)
  const ran = {
    batchSize: context.batchSize,
    threads: context.currentThreads,
    flashAttention: context.flashAttention === true,
  }
  await context.dispose()
  return {
    build_commit: llama.llamaCppRelease.release,
    build_number: 0,
    cpu_info: os.cpus()[0]?.model ?? 'unknown',
    gpu_info: llama.gpu ? String(llama.gpu) : '',
    backends: llama.gpu ? `${llama.gpu}` : 'CPU',
    model_filename: opts.modelPath.split('/').at(-1)!,
    // llama_model_desc, the string llama-bench prints: "llama 1B Q4_0", "llama ?B F16" for shapes it has no name for
    model_type: model.typeDescription,
    model_size: model.size,
    model_n_params: model.fileInsights.totalParameters,
    // As ran, read back from the context where it can say (issue 10: the record once said n_ubatch
    // 512 while the context ran another batch size).
    n_batch: ran.batchSize,
    n_ubatch: ran.batchSize,
    n_threads: ran.threads,
    type_k: p.config.typeK,
    type_v: p.config.typeV,
    n_gpu_layers: opts.gpu ? 99 : 0,
    flash_attn: ran.flashAttention ? 1 : 0,
    use_mmap: true,
    n_prompt: p.nPrompt,
    n_gen: p.nGen,
    n_depth: 0,
    test_time: new Date().toISOString(),
    avg_ns: Math.round(mean(samplesNs)),
    stddev_ns: Math.round(sampleStddev(samplesNs)),
    avg_ts: mean(samplesTs),
    stddev_ts: sampleStddev(samplesTs),
    samples_ns: samplesNs,
    samples_ts: samplesTs,
    // Not llama-bench's: how much of the CPU other processes took while the samples ran (Linux),
    // so that a wide spread can be told apart from the hardware's own.
    ...(others !== null && { other_cpu_share: Math.round(others * 1000) / 1000 }),
    // File pages read back after the kernel reclaimed them, machine-wide: weights of an mmapped
    // model paged out under the measurement show here (a VM's proactive reclaim did, issue 10).
    ...(cpuBefore && cpuAfter && { file_refaults: cpuAfter.refaults - cpuBefore.refaults }),
  }
}

/**
 * One evaluation of `tokens` that computes the logits of the last one and samples nothing: the work
 * of llama-bench's pp and tg (llama_batch_get_one). node-llama-cpp's public API either skips the
 * logits (evaluateWithoutGeneratingNewTokens: the output layer, a quarter of a small model, never
 * runs) or samples from them (controlledEvaluate: a new sampler and a pass over the whole
 * vocabulary per token, measured at 25-35% of tg128 on the 121 MB model). Its internal
 * `_decodeTokens`, in the exactly pinned 3.21.1, is the decode alone (docs/decisions/007).
 */
async function decodeLikeLlamaBench(sequence: LlamaContextSequence, tokens: number[]): Promise<void> {
  const internal = sequence as unknown as InternalSequence
  if (typeof internal._decodeTokens !== 'function')
    throw new Error(
      'node-llama-cpp changed: LlamaContextSequence._decodeTokens is gone; the runner is pinned to ' +
        'node-llama-cpp 3.21.1',
    )
  const logits = tokens.map((_, i) => i === tokens.length - 1)
  await internal._decodeTokens(
    tokens,
    logits,
    defaultEvaluationPriority,
    internal._tokenMeter,
    internal._contextShift,
    () => undefined,
  )
}
interface InternalSequence {
  _decodeTokens(
    tokens: number[],
    logits: boolean[],
    priority: number,
    tokenMeter: unknown,
    contextShift: unknown,
    logitDataMapper: () => undefined,
  ): Promise<unknown>
  _tokenMeter: unknown
  _contextShift: unknown
}
const defaultEvaluationPriority = 5

const flashAttentionOf = (opts: BenchOptions, config: RunConfiguration) =>
  opts.flashAttention ?? (process.env.BENCH_FA ? process.env.BENCH_FA !== '0' : config.flashAttention)
