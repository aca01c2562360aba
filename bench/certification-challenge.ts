import { expectedModel, knownModelPath } from '../services/certification/known-models.ts'
import { MODEL_SEED } from '../services/certification/job-specification.ts'
import { mean, runLlamaBench } from '../certification-lab/benchmark/llama-bench.ts'
import {
  CHALLENGE_K,
  CHALLENGE_KINDS,
  challengeAllowance,
  challengeSize,
  openChallengeModel,
} from '../certification-lab/benchmark/challenge.ts'

// The timed challenge (decision 019) against llama-bench measured in the same run: how long an
// honest answer takes as a share of what the claimed speeds allow, and the same for claims 5× the
// machine's. `npm run bench -- certification-challenge`; BENCH_SHAPES=tiny,1b (default).
process.env.DATA_DIR ??= '.data/bench'
const threads = Number(process.env.BENCH_THREADS ?? 2)
for (const shape of (process.env.BENCH_SHAPES ?? 'tiny,1b').split(',') as ('tiny' | '1b')[]) {
  await expectedModel(shape, 'Q4_0', MODEL_SEED)
  const modelPath = knownModelPath(shape, 'Q4_0', MODEL_SEED)
  const [pp, tg] = await runLlamaBench({ modelPath, nonce: 'bench', nPrompt: 256, nGen: 64, repetitions: 3, threads })
  const measured = { pp: mean(pp!.samples_ts), tg: mean(tg!.samples_ts) }
  console.log(
    `${shape}: llama-bench pp256 ${measured.pp.toFixed(0)} t/s, tg64 ${measured.tg.toFixed(1)} t/s (baseline)`,
  )
  const model = await openChallengeModel({ modelPath, threads, contextSize: 256 + 64 + 64 })
  try {
    for (const [label, factor, runs] of [
      ['honest', 1, 3],
      ['claims 5×', 5, 1],
    ] as const)
      for (let i = 0; i < runs; i++)
        for (const kind of CHALLENGE_KINDS) {
          const claimed = { pp: measured.pp * factor, tg: measured.tg * factor }
          const size = challengeSize(kind, claimed, { nPrompt: 256, nGen: 64 })
          const start = performance.now()
          await model.answer({ nonce: `bench-${label}-${i}-${Date.now()}`, ...size, k: CHALLENGE_K })
          const took = performance.now() - start
          const a = challengeAllowance(kind, claimed, size, 0)
          console.log(
            `  ${label} ${kind}: ${size.rounds} × ${size.nPrompt} + ${size.nGen} tokens in ` +
              `${took.toFixed(0)} ms; the claim ` +
              `takes ${a.claimedMs.toFixed(0)} ms, allows ${a.allowedMs.toFixed(0)}: ratio to claimed ` +
              `${(took / a.claimedMs).toFixed(2)}, to allowed ${(took / a.allowedMs).toFixed(2)} ` +
              `(${took <= a.allowedMs ? 'in time' : 'late'}${a.timeable ? '' : ', too fast to time: held'})`,
          )
        }
  } finally {
    await model.dispose()
  }
}
