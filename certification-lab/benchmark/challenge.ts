import {
  getLlama,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp'
import { z } from 'zod'
import { tokenStream, type GpuChoice } from './llama-bench.ts'
import { PROOF_TOLERANCE } from './proof.ts'

/**
 * The timed challenge (docs/decisions/019): proof of speed, not only of execution. After measuring,
 * the runner asks for a challenge sized from the speeds it is about to claim; the platform answers
 * with a fresh nonce, the runner evaluates the prompt that nonce seeds and generates greedily, and
 * the platform times the round on its own clock. Only hardware about as fast as claimed answers in
 * time; the worker recomputes the answer on its own copy of the model, so a fast wrong answer fails.
 */
export const CHALLENGE_K = 8
/**
 * Two challenges per job, each timed on its own so one claim cannot borrow the other's budget:
 * `pp` is a long prompt and one generated token, `tg` a short prompt and a long greedy
 * continuation. Sized for about 2 s (pp) and 2.5 s (tg) at the claimed speeds, within these caps.
 */
export type ChallengeKind = 'pp' | 'tg'
export const CHALLENGE_KINDS: readonly ChallengeKind[] = ['pp', 'tg']
export const CHALLENGE_SECONDS: Record<ChallengeKind, number> = { pp: 2, tg: 2.5 }
export const CHALLENGE_PROMPT_TOKENS = { min: 128, max: 4096 }
export const CHALLENGE_GEN_TOKENS = { min: 32, max: 1024 }
/** The prompt of a generation challenge: just enough to start from a state nobody could know. */
export const TG_CHALLENGE_PROMPT = 32
/** What an honest runner is allowed over the claimed time (see allowance below and decision 019). */
export const CHALLENGE_SLACK = 1.5
export const CHALLENGE_FIXED_MS = 250
/** The measured round trip counts up to this: a runner that stalls its own ping gains no more. */
export const CHALLENGE_RTT_CAP_MS = 250
/**
 * Below this much claimed time the fixed allowances dominate and the challenge cannot tell a claim
 * from one several times larger: such speeds (a GPU on a small model) are held for a lab run.
 */
export const CHALLENGE_MIN_CLAIMED_MS = 1500
/** Challenges of each kind a job may take; the fastest counts (a stall on a busy machine is not a verdict). */
export const CHALLENGE_ATTEMPTS = 3

const clamp = (x: number, r: { min: number; max: number }) => Math.min(r.max, Math.max(r.min, Math.round(x)))

/** How many prompt and generated tokens a challenge of this kind for these claimed speeds (tokens/s) has. */
export function challengeSize(
  kind: ChallengeKind,
  claimed: { pp: number; tg: number },
): { nPrompt: number; nGen: number } {
  return kind === 'pp'
    ? { nPrompt: clamp(claimed.pp * CHALLENGE_SECONDS.pp, CHALLENGE_PROMPT_TOKENS), nGen: 1 }
    : { nPrompt: TG_CHALLENGE_PROMPT, nGen: clamp(claimed.tg * CHALLENGE_SECONDS.tg, CHALLENGE_GEN_TOKENS) }
}

export interface Allowance {
  /** What the claimed speeds take for this challenge, in ms. */
  claimedMs: number
  roundTripMs: number
  allowedMs: number
  /** Whether the claimed time is long enough for the fixed allowances not to decide the verdict. */
  timeable: boolean
}

/**
 * The time an answer may take: the claimed time × CHALLENGE_SLACK (a scheduler hiccup, the final
 * top-k), plus the measured round trip (capped) and a fixed allowance for the requests. A machine
 * k times slower than claimed needs about k × claimedMs, so a claim more than ~1.5× the machine's
 * speed does not fit.
 */
export function challengeAllowance(
  kind: ChallengeKind,
  claimed: { pp: number; tg: number },
  size: { nPrompt: number; nGen: number },
  measuredRoundTripMs: number,
): Allowance {
  const claimedMs =
    kind === 'pp' ? (size.nPrompt / claimed.pp) * 1000 : (size.nPrompt / claimed.pp + size.nGen / claimed.tg) * 1000
  const roundTripMs = Math.min(Math.max(0, measuredRoundTripMs), CHALLENGE_RTT_CAP_MS)
  return {
    claimedMs,
    roundTripMs,
    allowedMs: claimedMs * CHALLENGE_SLACK + roundTripMs + CHALLENGE_FIXED_MS,
    timeable: claimedMs >= CHALLENGE_MIN_CLAIMED_MS,
  }
}

/** The prompt a challenge's nonce seeds: the platform derives it itself, never from the runner's copy. */
export const challengePrompt = (nonce: string, nPrompt: number, nVocab: number) =>
  Array.from({ length: nPrompt }, tokenStream(`${nonce}:challenge`, nVocab))

export const challengeAnswerSchema = z.object({
  /** The greedy continuation, one token per generated step. */
  generated: z.array(z.number().int().nonnegative()).min(1).max(CHALLENGE_GEN_TOKENS.max),
  /** The top-k next-token log-probabilities after the last generated token. */
  final: z.object({
    tokens: z.array(z.number().int().nonnegative()).min(1).max(64),
    logprobs: z.array(z.number()).min(1).max(64),
  }),
})
export type ChallengeAnswer = z.infer<typeof challengeAnswerSchema>

const vocabSize = (model: LlamaModel) =>
  Number((model.fileInfo.metadata as { llama?: { vocab_size?: number } }).llama?.vocab_size ?? 32000)

/**
 * The model loaded and a context ready before the challenge is asked for: loading takes seconds
 * and is not what is timed.
 */
export async function openChallengeModel(opts: { modelPath: string; gpu?: GpuChoice; threads: number }) {
  const llama: Llama = await getLlama({
    build: 'never',
    gpu: opts.gpu ?? false,
    maxThreads: opts.threads,
    logLevel: 'error' as never,
  })
  let model: LlamaModel | undefined
  let context: LlamaContext | undefined
  try {
    model = await llama.loadModel({ modelPath: opts.modelPath, gpuLayers: opts.gpu ? 'max' : 0 })
    context = await model.createContext({
      contextSize: Math.max(CHALLENGE_PROMPT_TOKENS.max, TG_CHALLENGE_PROMPT + CHALLENGE_GEN_TOKENS.max) + 16,
      batchSize: 512,
      threads: { ideal: opts.threads, min: opts.threads },
      sequences: 1,
      batching: { dispatchSchedule: (dispatch) => dispatch() },
    })
  } catch (e) {
    await model?.dispose()
    await llama.dispose()
    throw e
  }
  const [m, c] = [model, context]
  const sequence = c.getSequence()
  const greedy = greedyDecoder(m, sequence)
  return {
    /** Evaluates the nonce's prompt, generates nGen tokens greedily and reports the final top-k. */
    async answer(challenge: { nonce: string; nPrompt: number; nGen: number; k: number }): Promise<ChallengeAnswer> {
      await sequence.clearHistory()
      const prompt = challengePrompt(challenge.nonce, challenge.nPrompt, vocabSize(m)) as Token[]
      const generated: number[] = [await greedy.next(prompt)]
      while (generated.length < challenge.nGen) generated.push(await greedy.next([generated.at(-1)!]))
      // The last token, evaluated for its top-k: the one step that pays for the full distribution.
      const out = await sequence.controlledEvaluate([
        [generated.at(-1)! as Token, { generateNext: { probabilities: true } }],
      ])
      const probabilities = out.at(-1)?.next.probabilities
      if (!probabilities) throw new Error('llama.cpp returned no next-token probabilities')
      const tokens = [...probabilities.keys()].slice(0, challenge.k)
      return { generated, final: { tokens, logprobs: tokens.map((t) => Math.log(probabilities.get(t)!)) } }
    },
    async dispose() {
      await c.dispose()
      await m.dispose()
      await llama.dispose()
    },
  }
}

/**
 * Greedy decoding at llama-bench's cost per token: the decode llama-bench times (the internal
 * `_decodeTokens` of the exactly pinned node-llama-cpp 3.21.1, as llama-bench.ts uses) and an argmax
 * by one native greedy sampler built once. The public controlledEvaluate builds a new sampler for
 * every token, which on a small model costs more than the decode itself: the challenge would then
 * time node-llama-cpp's bookkeeping, not the hardware the claim is about.
 */
function greedyDecoder(model: LlamaModel, sequence: LlamaContextSequence) {
  const internal = sequence as unknown as GreedyInternals
  const m = model as unknown as {
    _llama: { _bindings: { AddonSampler: new (m: unknown) => AddonSampler } }
    _model: unknown
  }
  if (typeof internal._decodeTokens !== 'function' || !m._llama?._bindings?.AddonSampler)
    throw new Error('node-llama-cpp changed: the runner is pinned to node-llama-cpp 3.21.1')
  const sampler = new m._llama._bindings.AddonSampler(m._model)
  sampler.applyConfig({ temperature: 0 })
  return {
    /** Decodes `tokens` and returns the most likely next token. */
    async next(tokens: number[]): Promise<number> {
      const out = await internal._decodeTokens(
        tokens,
        tokens.map((_, i) => i === tokens.length - 1),
        5,
        internal._tokenMeter,
        internal._contextShift,
        (batchLogitIndex: unknown) => internal._context._ctx.sampleToken(batchLogitIndex, sampler),
      )
      const token = out[tokens.length - 1]
      if (typeof token !== 'number' || token < 0) throw new Error('llama.cpp generated no token')
      return token
    },
  }
}
interface AddonSampler {
  applyConfig(config: object): void
}
interface GreedyInternals {
  _decodeTokens(
    tokens: number[],
    logits: boolean[],
    priority: number,
    tokenMeter: unknown,
    contextShift: unknown,
    mapper: (batchLogitIndex: unknown) => Promise<number>,
  ): Promise<(number | undefined)[]>
  _tokenMeter: unknown
  _contextShift: unknown
  _context: { _ctx: { sampleToken(batchLogitIndex: unknown, sampler: AddonSampler): Promise<number> } }
}

/**
 * The worker's half: the distributions after the challenge prompt and after each generated token,
 * computed on the platform's copy of the model with llama.cpp's CPU backend (teacher forcing, so a
 * near-tie broken the other way on another backend is still compared step by step).
 */
export async function challengeReference(opts: {
  modelPath: string
  threads: number
  nonce: string
  nPrompt: number
  generated: number[]
}): Promise<{ steps: Map<number, number>[] }> {
  const llama = await getLlama({ build: 'never', gpu: false, maxThreads: opts.threads, logLevel: 'error' as never })
  try {
    const model = await llama.loadModel({ modelPath: opts.modelPath, gpuLayers: 0 })
    try {
      const context = await model.createContext({
        contextSize: opts.nPrompt + opts.generated.length + 16,
        threads: { ideal: opts.threads, min: opts.threads },
        sequences: 1,
      })
      try {
        const sequence = context.getSequence()
        const want = { generateNext: { probabilities: true } } as const
        const prompt = challengePrompt(opts.nonce, opts.nPrompt, vocabSize(model)) as Token[]
        const steps: Map<number, number>[] = []
        let out = await sequence.controlledEvaluate([...prompt.slice(0, -1), [prompt.at(-1)!, want]])
        for (let i = 0; ; i++) {
          const probabilities = out.at(-1)?.next.probabilities
          if (!probabilities) throw new Error('llama.cpp returned no next-token probabilities')
          steps.push(probabilities as Map<number, number>)
          if (i === opts.generated.length) break
          out = await sequence.controlledEvaluate([[opts.generated[i]! as Token, want]])
        }
        return { steps }
      } finally {
        await context.dispose()
      }
    } finally {
      await model.dispose()
    }
  } finally {
    await llama.dispose()
  }
}

/**
 * The verdict on an answer against the reference: every generated token is the step's most likely
 * one (or within the tolerance of it: a near-tie), and the final top-k log-probabilities agree.
 */
export function judgeChallengeAnswer(
  answer: ChallengeAnswer,
  expected: { nGen: number; k: number },
  reference: Map<number, number>[],
): { ok: boolean; detail: string } {
  if (answer.generated.length !== expected.nGen || reference.length !== expected.nGen + 1)
    return { ok: false, detail: `the answer must generate ${expected.nGen} tokens; it has ${answer.generated.length}` }
  const lp = (m: Map<number, number>, t: number) => Math.log(m.get(t) ?? Number.MIN_VALUE)
  for (const [i, t] of answer.generated.entries()) {
    const step = reference[i]!
    const top = step.keys().next().value!
    if (lp(step, t) < lp(step, top) - PROOF_TOLERANCE)
      return {
        ok: false,
        detail:
          `generated token ${i + 1} (${t}) is not what the model generates there: ` +
          `log-probability ${lp(step, t).toFixed(3)} against ${lp(step, top).toFixed(3)} for token ${top}`,
      }
  }
  const final = reference.at(-1)!
  const { tokens, logprobs } = answer.final
  if (tokens.length !== expected.k || logprobs.length !== expected.k || !logprobs.every(Number.isFinite))
    return { ok: false, detail: `the final step must report ${expected.k} tokens with finite log-probabilities` }
  let worst = 0
  for (const [j, t] of tokens.entries()) worst = Math.max(worst, Math.abs(logprobs[j]! - lp(final, t)))
  const refTop = new Set([...final.keys()].slice(0, expected.k))
  const top = tokens[logprobs.indexOf(Math.max(...logprobs))]!
  const ok = worst <= PROOF_TOLERANCE && refTop.has(top)
  return {
    ok,
    detail:
      `the platform re-ran the challenge on llama.cpp’s CPU backend: all ${expected.nGen} generated tokens are the ` +
      `model’s, and the final top-${expected.k} log-probabilities differ by at most ${worst.toFixed(4)} nats ` +
      `(at most ${PROOF_TOLERANCE})` +
      (refTop.has(top) ? '' : `; the reported top token ${top} is not in the platform’s top-${expected.k}`),
  }
}
