import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { extractVocab } from '../native/extract-vocab.ts'
import { mean, runLlamaBench, sampleStddev, type LlamaBenchRecord } from '../certification-lab/benchmark/llama-bench.ts'
import { shapes, synthesizeModel } from '../certification-lab/synthesize-model.ts'
import { decodeInstructions } from './lib/count-instructions.ts'

// The runner's pp512/tg128 against llama-bench built from the same llama.cpp source
// (native/build-llama-bench.sh), on the same synthetic model and thread count, in one run, twice:
// - "llama-bench, native": the tool as built here (GGML_NATIVE, OpenMP): what the hardware does
//   with a build tuned for it;
// - "llama-bench, prebuilt": the same tool on node-llama-cpp's own prebuilt libllama/libggml
//   (the runner's llama.cpp, its CPU variant chosen at load): any difference to it is the runner's.
const threads = Number(process.env.BENCH_THREADS ?? 2)
const reps = Number(process.env.BENCH_REPS ?? 3)
const dir = path.resolve('.data/models')
mkdirSync(dir, { recursive: true })
// BENCH_MODEL=1b or 7b: the 1B-class (622 MB) or 7B-class (3.8 GB) Q4_0 model, synthesized once
// (~20 s / ~130 s here), instead of the small F16 one.
const models = {
  small: { shape: 'small', type: 'F16', seed: 1 },
  '1b': { shape: '1b', type: 'Q4_0', seed: 20_261_126 },
  '7b': { shape: '7b', type: 'Q4_0', seed: 20_261_126 },
} as const
const chosen = models[(process.env.BENCH_MODEL ?? 'small') as keyof typeof models]
if (!chosen) throw new Error(`BENCH_MODEL is one of ${Object.keys(models).join(', ')}`)
const modelPath = path.join(dir, chosen.shape === 'small' ? 'small-f16.gguf' : `${chosen.shape}-q4_0.gguf`)
if (!existsSync(modelPath))
  await synthesizeModel({
    vocabPath: extractVocab(),
    outPath: modelPath,
    shape: shapes[chosen.shape],
    seed: chosen.seed,
    type: chosen.type,
  })

// Rounds rotate the order of the contenders: this shared VM's speed drifts by 10-30% within a
// minute, and a drift that lands on one side only would pass for a difference. Each ratio is the
// median of the per-round ratios.
const rounds = Number(process.env.BENCH_ROUNDS ?? 8)
const fa = process.env.BENCH_FA === '0' ? '0' : '1'
const llamaBench = path.resolve('.data/llama.cpp/build/bin/llama-bench')

/**
 * A folder where llama-bench finds node-llama-cpp's prebuilt libraries under the names it was
 * linked with (same llama.cpp commit, so the same ABI). Run from there: ggml loads its CPU
 * variants from the working directory.
 */
function prebuiltLibraries(): string {
  const require = createRequire(import.meta.url)
  const bins = path.join(
    path.dirname(require.resolve(`@node-llama-cpp/${process.platform}-${process.arch}`)),
    '..',
    'bins',
    `${process.platform}-${process.arch}`,
  )
  const folder = path.resolve('.data/llama-bench-prebuilt')
  rmSync(folder, { recursive: true, force: true })
  mkdirSync(folder)
  const link = (target: string, name: string) => symlinkSync(path.join(bins, target), path.join(folder, name))
  const libraries = readdirSync(bins).filter((f) => f.endsWith('.so'))
  for (const file of libraries) link(file, file)
  for (const [soname, file] of [
    ['libllama.so.0', /^libllama\.v.*\.so$/],
    ['libggml.so.0', /^libggml\.v.*\.so$/],
    ['libggml-base.so.0', /^libggml-base\.so$/],
    ['libllama-common.so.0', /^libllama-common\.so$/],
  ] as const) {
    link(
      libraries.find((f) => file.test(f))!,
      soname,
    )
  }
  symlinkSync(
    path.resolve('.data/llama.cpp/build/bin/libllama-bench-impl.so'),
    path.join(folder, 'libllama-bench-impl.so'),
  )
  return folder
}

type Test = { p: number; g: number; name: string }
const tests: Test[] = [
  { p: 512, g: 0, name: 'pp512' },
  { p: 0, g: 128, name: 'tg128' },
]
// BENCH_COUNT=instructions: instead of seconds, the instructions each side executes inside
// llama_decode for the same tests, counted by callgrind on one thread, on the same prebuilt
// libraries. Equal counts mean the runner asks llama.cpp for exactly llama-bench's work; its seconds
// can then differ only by what runs outside llama_decode, and by the machine.
if (process.env.BENCH_COUNT === 'instructions') {
  if (!existsSync(llamaBench)) throw new Error('BENCH_COUNT=instructions needs native/build-llama-bench.sh first')
  const prebuilt = prebuiltLibraries()
  console.log(
    `\ncertification: instructions inside llama_decode (callgrind, 1 thread), ${path.basename(modelPath)}, ` +
      `flash attention ${fa === '0' ? 'off' : 'on'}, each test twice (BENCH_COUNT=instructions)`,
  )
  for (const t of tests) {
    // The runner's untimed warm-up is a whole test and llama-bench's a single token: the runner runs a
    // warm-up and one repetition, llama-bench two repetitions and no warm-up.
    const once = JSON.stringify({ modelPath, threads: 1, nPrompt: t.p, nGen: t.g, reps: 1 })
    const ours = decodeInstructions([process.execPath, '--import', 'tsx', 'bench/lib/runner-once.ts', once], {
      env: process.env,
    })
    const args = ['-m', modelPath, '-p', String(t.p), '-n', String(t.g), '-t', '1', '-r', '2', '--no-warmup']
    const theirs = decodeInstructions([llamaBench, ...args, '-fa', fa, '-o', 'json'], {
      cwd: prebuilt,
      env: { ...process.env, LD_LIBRARY_PATH: prebuilt },
    })
    const perToken = (n: bigint) => (Number(n) / (2 * (t.p + t.g)) / 1e6).toFixed(3)
    console.log(
      `  ${t.name}  runner ${ours} (${perToken(ours)} M/token)  llama-bench, prebuilt ${theirs} ` +
        `(${perToken(theirs)} M/token)  runner/llama-bench ${(Number(ours) / Number(theirs)).toFixed(5)}`,
    )
  }
  process.exit(0)
}

type Contender = { name: string; run: (round: number, test: Test) => Promise<LlamaBenchRecord> }
// Exactly `reps` repetitions on both sides: the runner's "more until the spread is small" would
// otherwise spend longer in each window of the VM's drift than llama-bench does.
const runner: Contender = {
  name: 'runner',
  run: async (round, t) =>
    (
      await runLlamaBench({
        modelPath,
        nonce: `bench-${round}`,
        threads,
        repetitions: reps,
        maxRepetitions: reps,
        nPrompt: t.p,
        nGen: t.g,
      })
    )[0]!,
}
const llamaBenchIn = (name: string, cwd: string, env: NodeJS.ProcessEnv): Contender => ({
  name,
  run: async (_round, t) =>
    (
      JSON.parse(
        execFileSync(
          llamaBench,
          ['-m', modelPath, '-p', String(t.p), '-n', String(t.g), '-t', String(threads), '-r', String(reps)].concat([
            '-fa',
            fa,
            '-o',
            'json',
          ]),
          { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
        ),
      ) as LlamaBenchRecord[]
    )[0]!,
})
const contenders = [runner]
if (existsSync(llamaBench)) {
  const prebuilt = prebuiltLibraries()
  contenders.push(
    llamaBenchIn('llama-bench, prebuilt', prebuilt, { ...process.env, LD_LIBRARY_PATH: prebuilt }),
    llamaBenchIn('llama-bench, native', process.cwd(), process.env),
  )
}
// Each round measures one test on every contender in a palindrome (A B C C B A, the first
// contender rotating by round): a drift of the VM's speed that is linear over the round lands
// equally on every contender and cancels in the per-round ratio of their means.
const results = new Map(
  tests.map((t) => [t.name, new Map(contenders.map((c) => [c.name, [] as LlamaBenchRecord[][]]))]),
)
for (let round = 0; round < rounds; round++)
  for (const test of tests) {
    const order = contenders.map((_, i) => contenders[(round + i) % contenders.length]!)
    const runs = new Map(contenders.map((c) => [c.name, [] as LlamaBenchRecord[]]))
    for (const c of [...order, ...[...order].reverse()]) runs.get(c.name)!.push(await c.run(round, test))
    for (const c of contenders) results.get(test.name)!.get(c.name)!.push(runs.get(c.name)!)
  }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
/** Every sample of one test over all rounds: mean, sample stddev and CV of the per-repetition t/s. */
function pooled(rounds: LlamaBenchRecord[][]) {
  const samples = rounds.flatMap((runs) => runs.flatMap((r) => r.samples_ts))
  const m = mean(samples)
  return {
    mean: m,
    sd: sampleStddev(samples),
    cv: sampleStddev(samples) / m,
    n: samples.length,
    rounds: rounds.map((runs) => mean(runs.map((r) => r.avg_ts))),
  }
}

console.log(
  `\ncertification: ${path.basename(modelPath)}, ${threads} threads, ${rounds} rounds of ${reps} repetitions ` +
    `(each contender twice a round, in a palindrome), flash attention ${fa === '0' ? 'off' : 'on'} ` +
    '(npm run bench -- certification)',
)
if (contenders.length === 1) console.log('  (build llama-bench with native/build-llama-bench.sh to compare)')
for (const test of tests) {
  const ours = pooled(results.get(test.name)!.get('runner')!)
  for (const c of contenders) {
    const x = pooled(results.get(test.name)!.get(c.name)!)
    const perRound = ours.rounds.map((o, i) => o / x.rounds[i]!)
    const ratio =
      c === runner
        ? ''
        : `   runner/this ${median(perRound).toFixed(3)} (rounds ${perRound.map((r) => r.toFixed(2)).join(' ')})`
    console.log(
      `  ${test.name}  ${c.name.padEnd(22)} ${x.mean.toFixed(1).padStart(7)} ± ${x.sd.toFixed(1)} t/s ` +
        `(cv ${(x.cv * 100).toFixed(1)}%, ${x.n} reps)${ratio}`,
    )
  }
}
process.exit(0)
