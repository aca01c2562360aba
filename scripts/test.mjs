// `npm test`: lint, build, then the tests in two runs. The timing lane (the certification lab:
// llama-bench, the timed challenge of decision 019) runs after the rest, alone on the machine:
// measured speeds mean nothing while another test file's work shares the cores. Arguments after
// `npm test --` go to both runs; a JSON --outputFile gets both runs' results, merged.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'

const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1
const args = process.argv.slice(2)
for (const step of ['lint', 'build']) if (run('npm', ['run', step]) !== 0) process.exit(1)

const out = args.find((a) => a.startsWith('--outputFile='))?.slice('--outputFile='.length)
const second = out ? `${out}.timing.json` : undefined
const withOut = (file) => (out ? args.map((a) => (a.startsWith('--outputFile=') ? `--outputFile=${file}` : a)) : args)
const vitest = 'node_modules/.bin/vitest'
const first = run(vitest, ['run', '--project', 'unit', '--project', 'integration', ...args])
// One libuv pool thread, as the runner runs (docs/decisions/007): llama.cpp's decodes stay on one thread team.
const timing = run(vitest, ['run', '--project', 'timing', '--no-file-parallelism', ...withOut(second)], {
  UV_THREADPOOL_SIZE: '1',
})

if (out && second && existsSync(out) && existsSync(second)) {
  const [a, b] = [out, second].map((f) => JSON.parse(readFileSync(f, 'utf8')))
  for (const k of Object.keys(a))
    if (typeof a[k] === 'number' && typeof b[k] === 'number' && k !== 'startTime') a[k] += b[k]
  a.testResults = [...a.testResults, ...b.testResults]
  a.success = a.success && b.success
  writeFileSync(out, JSON.stringify(a))
  rmSync(second)
} else if (out && existsSync(out) && second && !existsSync(second)) {
  // The timing run left no results: count it as a failed suite so CI cannot pass without it.
  const a = JSON.parse(readFileSync(out, 'utf8'))
  a.numFailedTestSuites += 1
  writeFileSync(out, JSON.stringify(a))
}
process.exit(first || timing)
