import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { GpuChoice } from './llama-bench.ts'
import { sharedLlama } from './llama.ts'

/**
 * The correctness check: a fast backend that computes the wrong thing must not pass. The runner
 * evaluates a fixed prompt with the backend under test and again with llama.cpp's CPU backend on
 * the same machine, and reports the next-token log-probabilities of the union of both top-k lists.
 * The platform (not the runner) decides pass or fail from those numbers with compareLogits.
 *
 * Near-ties are the norm (a random-weight model's distribution is almost flat; real models have
 * them too), so "top-k agreement" is tie-aware: the backend's top token must be one of the
 * reference's top-k, and every reported log-probability must be within a bound of the reference.
 */
export const CORRECTNESS_PROMPT = 'The quick brown fox jumps over the lazy dog. llama.cpp runs'
export const TOP_K = 40
/** Nats. F16 accumulation order differs between backends; 0.05 nats is ~5% in probability. */
export const MAX_LOGPROB_ERROR = 0.05

export interface LogitsSample {
  prompt: string
  backend: string
  reference: 'CPU'
  k: number
  tokens: number[]
  backendLogprobs: number[]
  referenceLogprobs: number[]
}

async function nextTokenLogprobs(modelPath: string, gpu: GpuChoice, threads: number) {
  const llama = await sharedLlama(gpu, threads)
  const model = await llama.loadModel({ modelPath, gpuLayers: gpu ? 'max' : 0 })
  try {
    const context = await model.createContext({
      contextSize: 256,
      threads: { ideal: threads, min: threads },
      sequences: 1,
    })
    const tokens = model.tokenize(CORRECTNESS_PROMPT)
    const out = await context
      .getSequence()
      .controlledEvaluate([...tokens.slice(0, -1), [tokens.at(-1)!, { generateNext: { probabilities: true } }]])
    await context.dispose()
    const probabilities = out.at(-1)?.next.probabilities
    if (!probabilities) throw new Error('llama.cpp returned no next-token probabilities')
    return { backend: llama.gpu ? String(llama.gpu) : 'CPU', probabilities }
  } finally {
    await model.dispose()
  }
}

/**
 * The CPU reference in a process of its own: node-llama-cpp's GPU and CPU builds ship ggml
 * libraries under the same file names, and a process that loaded one build would reuse them for
 * the other, so a reference in the same process might not be the CPU build at all.
 */
export async function cpuReferenceInChildProcess(
  modelPath: string,
  threads: number,
): Promise<{ backend: string; probabilities: Map<number, number> }> {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli')
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [tsx, fileURLToPath(import.meta.url), modelPath, String(threads)],
    { maxBuffer: 64 * 2 ** 20, env: { ...process.env, UV_THREADPOOL_SIZE: '1' } },
  )
  const out = JSON.parse(stdout) as { backend: string; probabilities: [number, number][] }
  return { backend: out.backend, probabilities: new Map(out.probabilities) }
}

export async function sampleLogits(opts: {
  modelPath: string
  gpu?: GpuChoice
  threads: number
}): Promise<LogitsSample> {
  const under = await nextTokenLogprobs(opts.modelPath, opts.gpu ?? false, opts.threads)
  const ref = opts.gpu ? await cpuReferenceInChildProcess(opts.modelPath, opts.threads) : under
  const top = (m: Map<number, number>) => [...m.keys()].slice(0, TOP_K) // the map is sorted, highest first
  const tokens = [...new Set([...top(ref.probabilities), ...top(under.probabilities)])]
  const lp = (m: Map<number, number>, t: number) => Math.log(m.get(t) ?? Number.MIN_VALUE)
  return {
    prompt: CORRECTNESS_PROMPT,
    backend: under.backend,
    reference: 'CPU',
    k: TOP_K,
    tokens,
    backendLogprobs: tokens.map((t) => lp(under.probabilities, t)),
    referenceLogprobs: tokens.map((t) => lp(ref.probabilities, t)),
  }
}

export interface LogitsVerdict {
  ok: boolean
  top1InReferenceTopK: boolean
  topKOverlap: number
  maxAbsError: number
  detail: string
}

const topIndexes = (xs: number[], k: number) =>
  xs
    .map((x, i) => [x, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k)
    .map(([, i]) => i)

/** Pass or fail from the reported numbers alone, so anyone holding the result can recompute it. */
export function compareLogits(
  s: Pick<LogitsSample, 'k' | 'tokens' | 'backendLogprobs' | 'referenceLogprobs' | 'backend'>,
): LogitsVerdict {
  const n = s.tokens.length
  if (
    !n ||
    s.backendLogprobs.length !== n ||
    s.referenceLogprobs.length !== n ||
    ![...s.backendLogprobs, ...s.referenceLogprobs].every(Number.isFinite)
  ) {
    return {
      ok: false,
      top1InReferenceTopK: false,
      topKOverlap: 0,
      maxAbsError: Infinity,
      detail: 'malformed logits sample: tokens and log-probabilities must be finite and of equal length',
    }
  }
  const k = Math.min(s.k, n)
  const refTop = new Set(topIndexes(s.referenceLogprobs, k))
  const underTop = topIndexes(s.backendLogprobs, k)
  const top1InReferenceTopK = refTop.has(underTop[0]!)
  const topKOverlap = underTop.filter((i) => refTop.has(i)).length / k
  const maxAbsError = Math.max(...s.backendLogprobs.map((x, i) => Math.abs(x - s.referenceLogprobs[i]!)))
  const ok = top1InReferenceTopK && maxAbsError <= MAX_LOGPROB_ERROR
  const detail =
    `${s.backend} vs the CPU reference on a fixed prompt: top token ` +
    `${top1InReferenceTopK ? 'is' : 'is not'} in the reference ` +
    `top-${k}, top-${k} overlap ${(topKOverlap * 100).toFixed(0)}%, largest log-probability error ` +
    `${maxAbsError.toFixed(4)} nats (at most ${MAX_LOGPROB_ERROR})`
  return { ok, top1InReferenceTopK, topKOverlap, maxAbsError, detail }
}

// The child process of cpuReferenceInChildProcess: model path and threads in, the CPU's next-token probabilities out.
if (import.meta.url === `file://${process.argv[1]}`) {
  const ref = await nextTokenLogprobs(process.argv[2]!, false, Number(process.argv[3]))
  // Exit only once the pipe has taken all of it: a pipe write is asynchronous.
  process.stdout.write(JSON.stringify({ backend: ref.backend, probabilities: [...ref.probabilities] }), () =>
    process.exit(0),
  )
}
