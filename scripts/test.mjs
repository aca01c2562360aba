// `npm test`: the lanes below, one after another, each timed against its budget (issue 27: `.ci/run` on a
// clean clone of two cores stays under 30 minutes as the suite grows; a lane over its budget is named at
// the end, and fails the run when CI_ENFORCE_BUDGETS=1). The fault suite (issue 24: the production build
// as web and worker processes through outages) runs after the unit, integration and browser lanes, one
// file at a time: it starts processes of its own and times their recovery. The timing lane (the
// certification lab: llama-bench, the timed challenge of decision 019) runs last, alone on the machine:
// measured speeds mean nothing while another test file's work shares the cores. Arguments after
// `npm test --` go to every vitest run; a JSON --outputFile gets every run's results, merged, and a run
// that left none counts as a failed suite, so CI cannot pass without it.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { relative } from 'node:path'

const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1
const args = process.argv.slice(2)
const timings = []
const timed = (lane, budgetS, fn) => {
  const started = Date.now()
  const status = fn()
  timings.push({ lane, seconds: Math.round((Date.now() - started) / 1000), budgetS, status })
  return status
}
const report = () => {
  console.log('\nlane         seconds  budget')
  for (const t of timings)
    console.log(
      `${t.lane.padEnd(12)} ${String(t.seconds).padStart(7)} ${String(t.budgetS).padStart(7)}` +
        `${t.seconds > t.budgetS ? '  over budget' : ''}${t.status ? '  failed' : ''}`,
    )
  const total = timings.reduce((s, t) => s + t.seconds, 0)
  console.log(`${'total'.padEnd(12)} ${String(total).padStart(7)} ${String(BUDGET_TOTAL_S).padStart(7)}`)
  return timings.filter((t) => t.seconds > t.budgetS).map((t) => t.lane)
}

// Seconds on the two-core CI machine, quiet: the targets whose sum, with `.ci/run`'s own set-up (about
// two minutes), keeps CI under 30 minutes. A lane over its target is printed as such, not failed, unless
// CI_ENFORCE_BUDGETS=1: a shared machine's slow day should not turn a correct change red.
const BUDGET_S = { lint: 180, build: 60, unit: 45, integration: 480, browser: 300, fault: 180, timing: 360 }
const BUDGET_TOTAL_S = Object.values(BUDGET_S).reduce((a, b) => a + b, 0)

// Lint is four single-threaded tools: Prettier and ESLint, then the context graph and tsc, run as two
// chains side by side on the two cores (about 50 s less than `npm run lint` one after another). The
// generated types come first: both chains read them, and the build writes none of its own.
const bin = (tool) => `node_modules/.bin/${tool}`
const chain = (...commands) =>
  new Promise((resolve) => {
    const child = spawn('sh', ['-c', commands.join(' && ')], { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    // Each chain's output is printed whole when it ends, so the two never interleave line by line.
    child.on('close', (code) => {
      process.stdout.write(output)
      resolve(code ?? 1)
    })
  })
const lintStarted = Date.now()
let lintStatus = run('npm', ['run', 'generate'])
if (lintStatus === 0)
  lintStatus = Math.max(
    ...(await Promise.all([
      chain(`${bin('prettier')} --check .`, `${bin('eslint')} .`),
      chain(`${bin('tsx')} scripts/context-graph.ts`, `${bin('tsc')} --noEmit -p .`),
    ])),
  )
timings.push({
  lane: 'lint',
  seconds: Math.round((Date.now() - lintStarted) / 1000),
  budgetS: BUDGET_S.lint,
  status: lintStatus,
})
if (lintStatus !== 0 || timed('build', BUDGET_S.build, () => run(bin('react-router'), ['build'])) !== 0) {
  report()
  process.exit(1)
}

const out = args.find((a) => a.startsWith('--outputFile='))?.slice('--outputFile='.length)
const vitest = 'node_modules/.bin/vitest'
const runs = [
  { name: 'unit', args: ['--project', 'unit'] },
  { name: 'integration', args: ['--project', 'integration'] },
  { name: 'browser', args: ['--project', 'browser'] },
  { name: 'fault', args: ['--project', 'fault', '--no-file-parallelism'] },
  // One libuv pool thread, as the runner runs (docs/decisions/007): llama.cpp's decodes stay on one thread team.
  { name: 'timing', args: ['--project', 'timing', '--no-file-parallelism'], env: { UV_THREADPOOL_SIZE: '1' } },
]
const results = runs.map((r) => {
  const file = out && `${out}.${r.name}.json`
  if (file) rmSync(file, { force: true })
  const withOut = args.map((a) => (file && a.startsWith('--outputFile=') ? `--outputFile=${file}` : a))
  return {
    ...r,
    file,
    status: timed(r.name, BUDGET_S[r.name], () => run(vitest, ['run', ...r.args, ...withOut], r.env)),
  }
})

// Failed tests are named again at the very end, with their first lines: CI keeps only the tail of the
// output, and the lanes after a failure push it out of sight.
const failures = []
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
    for (const file of part.testResults ?? []) {
      for (const a of file.assertionResults ?? [])
        if (a.status === 'failed')
          failures.push({
            lane: r.name,
            name: `${relative('.', file.name)} > ${a.fullName}`,
            message: a.failureMessages?.[0],
          })
      // A file that failed before its tests ran (an import, a hook) has no failed assertion to name.
      if (file.status === 'failed' && !(file.assertionResults ?? []).some((a) => a.status === 'failed'))
        failures.push({ lane: r.name, name: relative('.', file.name), message: file.message })
    }
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
const over = report()
for (const f of failures) {
  // The terminal colours vitest puts in its messages.
  const lines = String(f.message ?? '')
    .replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '')
    .split('\n')
    .slice(0, 8)
  console.log(`\nFAILED [${f.lane}] ${f.name}\n  ${lines.join('\n  ')}`)
}
if (over.length && process.env.CI_ENFORCE_BUDGETS === '1') {
  console.error(`over budget: ${over.join(', ')}`)
  process.exit(1)
}
process.exit(results.find((r) => r.status !== 0)?.status ?? 0)
