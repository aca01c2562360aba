import type { Token } from 'node-llama-cpp'
import { z } from 'zod'
import { tokenStream, type GpuChoice } from './llama-bench.ts'
import { sharedLlama } from './llama.ts'

/**
 * Proof that the job's model ran on the job's input: the nonce seeds a prompt nobody could know
 * before the job was claimed; the runner reports the top-k next-token log-probabilities after it
 * and after each of a few greedily generated tokens. The platform's worker evaluates the same
 * tokens with llama.cpp's CPU backend on its own copy of the model and compares. It proves
 * execution of that model on that input, not timing: that is what assurance levels are for.
 */
export const PROOF_PROMPT_TOKENS = 32
export const PROOF_STEPS = 4
export const PROOF_K = 8
/** Nats, as the CPU-reference comparison: backends sum in other orders. */
export const PROOF_TOLERANCE = 0.05

export const executionProofSchema = z.object({
  k: z.number().int().positive().max(64),
  prompt: z.array(z.number().int().nonnegative()).min(1).max(256),
  /** The greedy continuation: generated[i] is the top token of steps[i]. */
  generated: z.array(z.number().int().nonnegative()).max(16),
  steps: z
    .array(z.object({ tokens: z.array(z.number().int().nonnegative()), logprobs: z.array(z.number()) }))
    .min(1)
    .max(17),
})
export type ExecutionProof = z.infer<typeof executionProofSchema>

/** The prompt a job's nonce seeds: the platform derives it itself, never from the runner's copy. */
export const proofPrompt = (nonce: string, nVocab: number) =>
  Array.from({ length: PROOF_PROMPT_TOKENS }, tokenStream(`${nonce}:proof`, nVocab))

/**
 * The next-token distributions after `prompt` and after each token of the continuation: the
 * runner passes none (it generates greedily), the platform passes the runner's (teacher forcing),
 * so a near-tie that a GPU breaks the other way is still compared step by step.
 */
export async function nextTokenDistributions(opts: {
  modelPath: string
  gpu?: GpuChoice
  threads: number
  prompt?: number[]
  nonce?: string
  continuation?: number[]
}): Promise<{ prompt: number[]; generated: number[]; steps: Map<Token, number>[] }> {
  const llama = await sharedLlama(opts.gpu ?? false, opts.threads)
  const model = await llama.loadModel({ modelPath: opts.modelPath, gpuLayers: opts.gpu ? 'max' : 0 })
  try {
    const nVocab = Number((model.fileInfo.metadata as { llama?: { vocab_size?: number } }).llama?.vocab_size ?? 32000)
    const prompt = (opts.prompt ?? proofPrompt(opts.nonce!, nVocab)) as Token[]
    const context = await model.createContext({
      contextSize: 256,
      threads: { ideal: opts.threads, min: opts.threads },
      sequences: 1,
    })
    try {
      const sequence = context.getSequence()
      const want = { generateNext: { probabilities: true } } as const
      const steps: Map<Token, number>[] = []
      const generated: number[] = []
      let out = await sequence.controlledEvaluate([...prompt.slice(0, -1), [prompt.at(-1)!, want]])
      for (let i = 0; ; i++) {
        const probabilities = out.at(-1)?.next.probabilities
        if (!probabilities) throw new Error('llama.cpp returned no next-token probabilities')
        steps.push(probabilities)
        if (i === PROOF_STEPS - 1) break
        const next = opts.continuation ? opts.continuation[i] : probabilities.keys().next().value
        if (next === undefined) break
        generated.push(next)
        out = await sequence.controlledEvaluate([[next as Token, want]])
      }
      return { prompt, generated, steps }
    } finally {
      await context.dispose()
    }
  } finally {
    await model.dispose()
  }
}

/** What the runner signs: the prompt, its greedy continuation and the top-k log-probabilities of each step. */
export async function proveExecution(opts: {
  modelPath: string
  gpu?: GpuChoice
  threads: number
  nonce: string
}): Promise<ExecutionProof> {
  const { prompt, generated, steps } = await nextTokenDistributions(opts)
  return {
    k: PROOF_K,
    prompt,
    generated,
    steps: steps.map((m) => {
      const tokens = [...m.keys()].slice(0, PROOF_K) // sorted, most probable first
      return { tokens, logprobs: tokens.map((t) => Math.log(m.get(t)!)) }
    }),
  }
}

/**
 * The platform's verdict on a proof, against its own distributions for the same tokens. Tie-aware,
 * as compareLogits: each step's top token must be in the reference top-k, each reported
 * log-probability within the tolerance, and each generated token the step's reported top token.
 */
export function judgeProof(
  proof: ExecutionProof,
  expectedPrompt: number[],
  reference: Map<number, number>[],
): { ok: boolean; detail: string } {
  if (proof.prompt.join(',') !== expectedPrompt.join(','))
    return { ok: false, detail: 'the proof was computed on another prompt than the one this job’s nonce seeds' }
  if (proof.steps.length !== PROOF_STEPS || proof.generated.length !== PROOF_STEPS - 1)
    return { ok: false, detail: `the proof must have ${PROOF_STEPS} steps and ${PROOF_STEPS - 1} generated tokens` }
  let worst = 0
  for (const [i, step] of proof.steps.entries()) {
    const ref = reference[i]!
    const refTop = new Set([...ref.keys()].slice(0, proof.k))
    if (step.tokens.length !== proof.k || step.logprobs.length !== proof.k || !step.logprobs.every(Number.isFinite))
      return { ok: false, detail: `step ${i + 1}: ${proof.k} tokens with finite log-probabilities expected` }
    const top = step.tokens[step.logprobs.indexOf(Math.max(...step.logprobs))]!
    if (!refTop.has(top))
      return {
        ok: false,
        detail: `step ${i + 1}: the reported top token ${top} is not in the platform’s top-${proof.k}`,
      }
    if (i < proof.generated.length && proof.generated[i] !== top)
      return {
        ok: false,
        detail: `step ${i + 1}: the generated token ${proof.generated[i]} is not the step’s top token`,
      }
    for (const [j, t] of step.tokens.entries())
      worst = Math.max(worst, Math.abs(step.logprobs[j]! - Math.log(ref.get(t) ?? Number.MIN_VALUE)))
  }
  const ok = worst <= PROOF_TOLERANCE
  return {
    ok,
    detail:
      `the platform re-ran the ${PROOF_PROMPT_TOKENS}-token prompt this job’s nonce seeds and ${PROOF_STEPS - 1} ` +
      `generated tokens on llama.cpp’s CPU backend: largest log-probability difference ${worst.toFixed(4)} nats ` +
      `over the top-${proof.k} of ${PROOF_STEPS} steps (at most ${PROOF_TOLERANCE})`,
  }
}
