import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp'
import { z } from 'zod'
import { tokenStream, type GpuChoice } from './llama-bench.ts'
import { PROOF_TOLERANCE } from './proof.ts'
import { sharedLlama } from './llama.ts'

/**
 * The timed challenge (docs/decisions/019): proof of speed, not only of execution. After measuring,
 * the runner asks for a challenge sized from the speeds it is about to claim; the platform answers
 * with a fresh nonce, the runner evaluates the prompt that nonce seeds and generates greedily, and
 * the platform times the round on its own clock. Only hardware about as fast as claimed answers in
 * time; the worker recomputes the answer on its own copy of the model, so a fast wrong answer fails.
 */
export const CHALLENGE_K = 8
/**
 * Two challenges per job, each timed on its own so one claim cannot borrow the other's budget, and
 * each repeating the work llama-bench timed (speed depends on the context length, so a longer
 * prompt than the claim's would not be comparable): `pp` is rounds of the job's nPrompt-token
 * prompt from an empty cache, each followed by one greedy token; `tg` is rounds of a short prompt
 * followed by the job's nGen greedy tokens. Enough rounds for about 2 s (pp) and 2.5 s (tg) at the
 * claimed speeds, at most CHALLENGE_MAX_ROUNDS.
 */
export type ChallengeKind = 'pp' | 'tg'
export const CHALLENGE_KINDS: readonly ChallengeKind[] = ['pp', 'tg']
export const CHALLENGE_SECONDS: Record<ChallengeKind, number> = { pp: 2, tg: 2.5 }
export const CHALLENGE_MAX_ROUNDS = 16
/** The prompt before a generation round: enough that nobody could have precomputed its continuation. */
export const TG_CHALLENGE_PROMPT = 32
/** What an honest runner is allowed over the claimed time (see allowance below and decision 019). */
export const CHALLENGE_SLACK = 1.5
export const CHALLENGE_FIXED_MS = 250
/** The measured round trip counts up to this: a runner that stalls its own ping gains no more. */
export const CHALLENGE_RTT_CAP_MS = 250
/**
 * Per decode step (each round's prompt and each generated token): what one call into llama.cpp costs
 * beyond the decode llama-bench times (the thread-pool hop, the argmax, the await). Nothing on a
 * 1B model at 20 t/s (1%); on the CI-class model at thousands of t/s it was a third to half of each
 * token, and an honest answer took 1.5–2.2× the claimed time without it.
 */
export const CHALLENGE_STEP_MS = 0.5
/**
 * Below this much claimed time the fixed allowances dominate and the challenge cannot tell a claim
 * from one several times larger: such speeds (a GPU on a small model) are held for a lab run. So are
 * claims whose per-step allowance exceeds a quarter of the claimed time.
 */
export const CHALLENGE_MIN_CLAIMED_MS = 1500
/** Challenges of each kind a job may take; the fastest counts (a stall on a busy machine is not a verdict). */
export const CHALLENGE_ATTEMPTS = 3

export interface ChallengeSize {
  /** Per round: the prompt's tokens and the tokens generated after it. */
  nPrompt: number
  nGen: number
  rounds: number
}

const roundsFor = (seconds: number, perRound: number) =>
  Math.min(CHALLENGE_MAX_ROUNDS, Math.max(1, Math.ceil(seconds / perRound)))

/** A challenge of this kind for these claimed speeds (tokens/s), on the job's test sizes. */
export function challengeSize(
  kind: ChallengeKind,
  claimed: { pp: number; tg: number },
  test: { nPrompt: number; nGen: number },
): ChallengeSize {
  return kind === 'pp'
    ? { nPrompt: test.nPrompt, nGen: 1, rounds: roundsFor(CHALLENGE_SECONDS.pp, test.nPrompt / claimed.pp) }
    : {
        nPrompt: TG_CHALLENGE_PROMPT,
        nGen: test.nGen,
        rounds: roundsFor(CHALLENGE_SECONDS.tg, TG_CHALLENGE_PROMPT / claimed.pp + test.nGen / claimed.tg),
      }
}

export interface Allowance {
  /** What the claimed speeds take for this challenge, in ms. */
  claimedMs: number
  roundTripMs: number
  /** rounds × (nGen + 1) decode steps × CHALLENGE_STEP_MS. */
  stepsMs: number
  allowedMs: number
  /** Whether the claimed time is long enough for the fixed allowances not to decide the verdict. */
  timeable: boolean
}

/**
 * The time an answer may take: the claimed time × CHALLENGE_SLACK (a scheduler hiccup, the final
 * top-k), plus the measured round trip (capped), the per-step cost of calling llama.cpp and a fixed
 * allowance for the requests. A machine
 * k times slower than claimed needs about k × claimedMs, so a claim more than ~1.5× the machine's
 * speed does not fit.
 */
export function challengeAllowance(
  kind: ChallengeKind,
  claimed: { pp: number; tg: number },
  size: ChallengeSize,
  measuredRoundTripMs: number,
): Allowance {
  const perRound = kind === 'pp' ? size.nPrompt / claimed.pp : size.nPrompt / claimed.pp + size.nGen / claimed.tg
  const claimedMs = size.rounds * perRound * 1000
  const roundTripMs = Math.min(Math.max(0, measuredRoundTripMs), CHALLENGE_RTT_CAP_MS)
  const stepsMs = size.rounds * (size.nGen + 1) * CHALLENGE_STEP_MS
  return {
    claimedMs,
    roundTripMs,
    stepsMs,
    allowedMs: claimedMs * CHALLENGE_SLACK + roundTripMs + stepsMs + CHALLENGE_FIXED_MS,
    timeable: claimedMs >= CHALLENGE_MIN_CLAIMED_MS && stepsMs * 4 <= claimedMs,
  }
}

/** The prompt a challenge's nonce seeds: the platform derives it itself, never from the runner's copy. */
export const challengePrompt = (nonce: string, round: number, nPrompt: number, nVocab: number) =>
  Array.from({ length: nPrompt }, tokenStream(`${nonce}:challenge:${round}`, nVocab))

export const challengeAnswerSchema = z.object({
  /** Each round's greedy continuation, one token per generated step. */
  rounds: z.array(z.array(z.number().int().nonnegative()).min(1).max(4096)).min(1).max(CHALLENGE_MAX_ROUNDS),
  /** The top-k next-token log-probabilities after the last round's last generated token. */
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
export async function openChallengeModel(opts: {
  modelPath: string
  gpu?: GpuChoice
  threads: number
  /** The job's nPrompt + nGen and the short prompt, with room to spare. */
  contextSize: number
}) {
  const llama: Llama = await sharedLlama(opts.gpu ?? false, opts.threads)
  let model: LlamaModel | undefined
  let context: LlamaContext | undefined
  try {
    model = await llama.loadModel({ modelPath: opts.modelPath, gpuLayers: opts.gpu ? 'max' : 0 })
    context = await model.createContext({
      contextSize: opts.contextSize,
      batchSize: 512,
      threads: { ideal: opts.threads, min: opts.threads },
      sequences: 1,
      batching: { dispatchSchedule: (dispatch) => dispatch() },
    })
  } catch (e) {
    await model?.dispose()
    throw e
  }
  const [m, c] = [model, context]
  const sequence = c.getSequence()
  const greedy = greedyDecoder(m, sequence)
  // Untimed warm-up, as llama-bench's: the first decodes of a fresh context pay one-off costs.
  await greedy.next(Array.from({ length: 16 }, tokenStream('warm-up', vocabSize(m))))
  for (let i = 0; i < 8; i++) await greedy.next([3 + i])
  return {
    /** Each round from an empty cache: the nonce's prompt, nGen greedy tokens; the final top-k after the last. */
    async answer(challenge: ChallengeSize & { nonce: string; k: number }): Promise<ChallengeAnswer> {
      const rounds: number[][] = []
      for (let r = 0; r < challenge.rounds; r++) {
        await sequence.clearHistory()
        const prompt = challengePrompt(challenge.nonce, r, challenge.nPrompt, vocabSize(m)) as Token[]
        const generated: number[] = [await greedy.next(prompt)]
        while (generated.length < challenge.nGen) generated.push(await greedy.next([generated.at(-1)!]))
        rounds.push(generated)
      }
      // The last token, evaluated for its top-k: the one step that pays for the full distribution.
      const out = await sequence.controlledEvaluate([
        [rounds.at(-1)!.at(-1)! as Token, { generateNext: { probabilities: true } }],
      ])
      const probabilities = out.at(-1)?.next.probabilities
      if (!probabilities) throw new Error('llama.cpp returned no next-token probabilities')
      const tokens = [...probabilities.keys()].slice(0, challenge.k)
      return { rounds, final: { tokens, logprobs: tokens.map((t) => Math.log(probabilities.get(t)!)) } }
    },
    async dispose() {
      await c.dispose()
      await m.dispose()
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
 * The worker's half: for each round, the distributions after the round's prompt and after each of
 * its generated tokens, computed on the platform's copy of the model with llama.cpp's CPU backend
 * (teacher forcing, so a near-tie broken the other way on another backend is still compared step
 * by step).
 */
export async function challengeReference(opts: {
  modelPath: string
  threads: number
  nonce: string
  nPrompt: number
  rounds: number[][]
}): Promise<{ rounds: Map<number, number>[][] }> {
  const llama = await sharedLlama(false, opts.threads)
  const model = await llama.loadModel({ modelPath: opts.modelPath, gpuLayers: 0 })
  try {
    const longest = Math.max(...opts.rounds.map((r) => r.length))
    const context = await model.createContext({
      contextSize: opts.nPrompt + longest + 16,
      threads: { ideal: opts.threads, min: opts.threads },
      sequences: 1,
    })
    try {
      const sequence = context.getSequence()
      const want = { generateNext: { probabilities: true } } as const
      const rounds: Map<number, number>[][] = []
      for (const [r, generated] of opts.rounds.entries()) {
        await sequence.clearHistory()
        const prompt = challengePrompt(opts.nonce, r, opts.nPrompt, vocabSize(model)) as Token[]
        const steps: Map<number, number>[] = []
        let out = await sequence.controlledEvaluate([...prompt.slice(0, -1), [prompt.at(-1)!, want]])
        for (let i = 0; ; i++) {
          const probabilities = out.at(-1)?.next.probabilities
          if (!probabilities) throw new Error('llama.cpp returned no next-token probabilities')
          steps.push(probabilities as Map<number, number>)
          if (i === generated.length) break
          out = await sequence.controlledEvaluate([[generated[i]! as Token, want]])
        }
        rounds.push(steps)
      }
      return { rounds }
    } finally {
      await context.dispose()
    }
  } finally {
    await model.dispose()
  }
}

/**
 * The verdict on an answer against the reference: every generated token of every round is the
 * step's most likely one (or within the tolerance of it: a near-tie), and the final top-k
 * log-probabilities after the last round agree.
 */
export function judgeChallengeAnswer(
  answer: ChallengeAnswer,
  expected: ChallengeSize & { k: number },
  reference: Map<number, number>[][],
): { ok: boolean; detail: string } {
  if (
    answer.rounds.length !== expected.rounds ||
    answer.rounds.some((r) => r.length !== expected.nGen) ||
    reference.length !== expected.rounds
  )
    return {
      ok: false,
      detail: `the answer must have ${expected.rounds} rounds of ${expected.nGen} generated tokens`,
    }
  const lp = (m: Map<number, number>, t: number) => Math.log(m.get(t) ?? Number.MIN_VALUE)
  for (const [r, generated] of answer.rounds.entries())
    for (const [i, t] of generated.entries()) {
      const step = reference[r]![i]!
      const top = step.keys().next().value!
      if (lp(step, t) < lp(step, top) - PROOF_TOLERANCE)
        return {
          ok: false,
          detail:
            `round ${r + 1}, generated token ${i + 1} (${t}) is not what the model generates there: ` +
            `log-probability ${lp(step, t).toFixed(3)} against ${lp(step, top).toFixed(3)} for token ${top}`,
        }
    }
  const final = reference.at(-1)!.at(-1)!
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
      `the platform re-ran it on llama.cpp’s CPU backend: all ${expected.rounds * expected.nGen} generated tokens ` +
      `are the model’s, and the final top-${expected.k} log-probabilities differ by at most ${worst.toFixed(4)} ` +
      `nats (at most ${PROOF_TOLERANCE})` +
      (refTop.has(top) ? '' : `; the reported top token ${top} is not in the platform’s top-${expected.k}`),
  }
}
