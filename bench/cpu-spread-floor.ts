import os from 'node:os'
import { mean, runLlamaBench, sampleStddev } from '../certification-lab/benchmark/llama-bench.ts'
import { MODEL_SEED } from '../services/certification/job-specification.ts'
import { expectedModel, knownModelPath, type ModelShapeName } from '../services/certification/known-models.ts'

// The spread honest CPU runs show, for the plausibility floor (services/certification/plausibility.ts):
// the CI-class and 1B-class Q4_0 models, synthesized as the platform does, measured by the runner's
// own llama-bench (pp64/tg16) several times, each test's coefficient of variation (sample stddev /
// mean) printed, and the smallest. Other work on the machine only widens a spread, so the minimum is
// the figure that matters.
//   DATA_DIR=/tmp/spreadfloor UV_THREADPOOL_SIZE=1 npx tsx bench/cpu-spread-floor.ts
// SPREAD_RUNS picks model:runs:repetitions[:n_prompt:n_gen] (default pp64/tg16), e.g. "1b:3:5:512:128" for a
// badge run's tests.
if (process.env.UV_THREADPOOL_SIZE !== '1') throw new Error('run with UV_THREADPOOL_SIZE=1 (docs/decisions/007)')
const plan = (process.env.SPREAD_RUNS ?? 'tiny:6:5,1b:3:3').split(',').map((p) => {
  const [shape, runs, reps, nPrompt = '64', nGen = '16'] = p.split(':')
  return {
    shape: shape as ModelShapeName,
    runs: Number(runs),
    reps: Number(reps),
    nPrompt: Number(nPrompt),
    nGen: Number(nGen),
  }
})
const threads = Number(process.env.BENCH_THREADS ?? os.availableParallelism())
console.log(`${os.cpus()[0]?.model} × ${os.availableParallelism()}, ${threads} threads, load ${os.loadavg()[0]}`)

const cvs: { test: string; cv: number }[] = []
for (const { shape, runs, reps, nPrompt, nGen } of plan) {
  await expectedModel(shape, 'Q4_0', MODEL_SEED)
  for (let run = 1; run <= runs; run++) {
    const records = await runLlamaBench({
      modelPath: knownModelPath(shape, 'Q4_0', MODEL_SEED),
      nonce: `spread-floor-${shape}-${run}`,
      nPrompt,
      nGen,
      repetitions: reps,
      // The runner adds repetitions while the spread exceeds 2%; SPREAD_MAX_REPS caps that on a busy machine.
      maxRepetitions: Number(process.env.SPREAD_MAX_REPS ?? reps * 4),
      threads,
    })
    for (const r of records) {
      const cv = sampleStddev(r.samples_ts) / mean(r.samples_ts)
      const test = `${shape} ${r.n_prompt ? `pp${r.n_prompt}` : `tg${r.n_gen}`} run ${run}`
      cvs.push({ test, cv })
      console.log(
        `${test}: ${r.samples_ts.length} samples, mean ${mean(r.samples_ts).toFixed(1)} t/s, ` +
          `CV ${(cv * 100).toFixed(3)}%, other CPU ${r.other_cpu_share ?? '?'}`,
      )
    }
  }
}
const lowest = cvs.reduce((a, b) => (b.cv < a.cv ? b : a))
console.log(`lowest CV: ${(lowest.cv * 100).toFixed(3)}% (${lowest.test}) of ${cvs.length} tests`)
