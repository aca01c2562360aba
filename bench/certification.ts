import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import { extractVocab } from '../native/extract-vocab.ts'
import { runLlamaBench, type LlamaBenchRecord } from '../certification-lab/benchmark/llama-bench.ts'
import { shapes, synthesizeModel } from '../certification-lab/synthesize-model.ts'

// The runner's pp512/tg128 against llama-bench built from the same llama.cpp source
// (native/build-llama-bench.sh), on the same synthetic model and thread count, in one run.
const threads = Number(process.env.BENCH_THREADS ?? 2)
const reps = Number(process.env.BENCH_REPS ?? 5)
const dir = path.resolve('.data/models')
mkdirSync(dir, { recursive: true })
// BENCH_MODEL=1b or 7b: the 1B-class (622 MB) or 7B-class (3.8 GB) Q4_0 model, synthesized once
// (~20 s / ~130 s here), instead of the small F16 one.
const models = { small: { shape: 'small', type: 'F16', seed: 1 }, '1b': { shape: '1b', type: 'Q4_0', seed: 20_261_126 }, '7b': { shape: '7b', type: 'Q4_0', seed: 20_261_126 } } as const
const chosen = models[(process.env.BENCH_MODEL ?? 'small') as keyof typeof models]
if (!chosen) throw new Error(`BENCH_MODEL is one of ${Object.keys(models).join(', ')}`)
const modelPath = path.join(dir, chosen.shape === 'small' ? 'small-f16.gguf' : `${chosen.shape}-q4_0.gguf`)
if (!existsSync(modelPath)) await synthesizeModel({ vocabPath: extractVocab(), outPath: modelPath, shape: shapes[chosen.shape], seed: chosen.seed, type: chosen.type })

const ours = await runLlamaBench({ modelPath, nonce: 'bench', threads, repetitions: reps })
const llamaBench = path.resolve('.data/llama.cpp/build/bin/llama-bench')
let reference: LlamaBenchRecord[] | undefined
if (existsSync(llamaBench)) {
  reference = JSON.parse(execFileSync(llamaBench, ['-m', modelPath, '-p', '512', '-n', '128', '-t', String(threads), '-r', String(reps), '-fa', process.env.BENCH_FA === '0' ? '0' : '1', '-o', 'json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as LlamaBenchRecord[]
}

const cv = (r: LlamaBenchRecord) => ((r.stddev_ts / r.avg_ts) * 100).toFixed(1)
console.log(`\ncertification: ${path.basename(modelPath)}, ${threads} threads, ${reps} repetitions, flash attention ${process.env.BENCH_FA === '0' ? 'off' : 'on'} (npm run bench -- certification)`)
for (const test of [{ p: 512, g: 0, name: 'pp512' }, { p: 0, g: 128, name: 'tg128' }]) {
  const o = ours.find((r) => r.n_prompt === test.p && r.n_gen === test.g)!
  const ref = reference?.find((r) => r.n_prompt === test.p && r.n_gen === test.g)
  const line = `  ${test.name}  runner ${o.avg_ts.toFixed(1)} ± ${o.stddev_ts.toFixed(1)} t/s (cv ${cv(o)}%, ${o.samples_ts.length} reps)`
  console.log(ref ? `${line}   llama-bench ${ref.avg_ts.toFixed(1)} ± ${ref.stddev_ts.toFixed(1)} t/s   ratio ${(o.avg_ts / ref.avg_ts).toFixed(3)}` : `${line}   (build llama-bench with native/build-llama-bench.sh to compare)`)
}
process.exit(0)
