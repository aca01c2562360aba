// `npm test`: lint, build, then the tests in three runs. The fault suite (issue 24: the production build
// as web and worker processes through outages) runs after the unit and integration tests, one file at a
// time: it starts processes of its own and times their recovery. The timing lane (the certification lab:
// llama-bench, the timed challenge of decision 019) runs last, alone on the machine: measured speeds mean
// nothing while another test file's work shares the cores. Arguments after `npm test --` go to every
// run; a JSON --outputFile gets every run's results, merged, and a run that left none counts as a failed
// suite, so CI cannot pass without it.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'

const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1
const args = process.argv.slice(2)
for (const step of ['lint', 'build']) if (run('npm', ['run', step]) !== 0) process.exit(1)

const out = args.find((a) => a.startsWith('--outputFile='))?.slice('--outputFile='.length)
const vitest = 'node_modules/.bin/vitest'
const runs = [
  { name: 'main', args: ['--project', 'unit', '--project', 'integration'] },
  { name: 'fault', args: ['--project', 'fault', '--no-file-parallelism'] },
  // One libuv pool thread, as the runner runs (docs/decisions/007): llama.cpp's decodes stay on one thread team.
  { name: 'timing', args: ['--project', 'timing', '--no-file-parallelism'], env: { UV_THREADPOOL_SIZE: '1' } },
]
const results = runs.map((r) => {
  const file = out && `${out}.${r.name}.json`
  if (file) rmSync(file, { force: true })
  const withOut = args.map((a) => (file && a.startsWith('--outputFile=') ? `--outputFile=${file}` : a))
  return { ...r, file, status: run(vitest, ['run', ...r.args, ...withOut], r.env) }
})

if (out) {
  const counts = ['TotalTestSuites', 'FailedTestSuites', 'TotalTests', 'PassedTests', 'FailedTests', 'PendingTests']
  const merged = {
    ...Object.fromEntries(counts.map((c) => [`num${c}`, 0])),
    numTodoTests: 0,
    success: true,
    testResults: [],
  }
  for (const r of results) {
    if (!existsSync(r.file)) {
      console.error(`the ${r.name} run left no test results: counted as a failed suite`)
      merged.numFailedTestSuites += 1
      merged.success = false
      continue
    }
    const part = JSON.parse(readFileSync(r.file, 'utf8'))
    for (const [k, v] of Object.entries(part)) {
      if (k === 'testResults') merged.testResults.push(...v)
      else if (k === 'success') merged.success &&= v
      else if (k === 'startTime') merged.startTime = Math.min(merged.startTime ?? v, v)
      else if (typeof v === 'number') merged[k] = (merged[k] ?? 0) + v
      else if (!(k in merged)) merged[k] = v
    }
    rmSync(r.file)
  }
  writeFileSync(out, JSON.stringify(merged))
}
process.exit(results.find((r) => r.status !== 0)?.status ?? 0)
