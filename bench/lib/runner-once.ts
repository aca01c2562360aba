import { runLlamaBench } from '../../certification-lab/benchmark/llama-bench.ts'

// One test by the runner's own measuring code, for a process that a tool such as callgrind wraps:
// `node --import tsx bench/lib/runner-once.ts '{"modelPath":…,"threads":1,"nPrompt":512,"nGen":0,"reps":1}'`.
// Prints the records as JSON on stdout.
const o = JSON.parse(process.argv[2] ?? '{}') as {
  modelPath: string
  threads: number
  nPrompt: number
  nGen: number
  reps: number
}
const records = await runLlamaBench({
  modelPath: o.modelPath,
  nonce: 'instructions',
  threads: o.threads,
  nPrompt: o.nPrompt,
  nGen: o.nGen,
  repetitions: o.reps,
  maxRepetitions: o.reps,
})
console.log(JSON.stringify(records))
process.exit(0)
