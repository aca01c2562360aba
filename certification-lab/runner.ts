import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { extractVocab } from '../native/extract-vocab.ts'
import { gpuChoices, runLlamaBench, type GpuChoice } from './benchmark/llama-bench.ts'
import { compareLogits, sampleLogits } from './benchmark/logits-check.ts'
import { proveExecution } from './benchmark/proof.ts'
import { CHALLENGE_KINDS, openChallengeModel } from './benchmark/challenge.ts'
import { mean } from './benchmark/llama-bench.ts'
import { fileSha256, ggufHeaderSha256 } from './file-digest.ts'
import { waitForQuiet } from './quiet-machine.ts'
import { hardwareFingerprint, type HardwareFingerprint } from './hardware-fingerprint.ts'
import { measureBandwidth } from './bandwidth.ts'
import { loadOrCreateRunnerKeys, signPayload } from './signing.ts'

/**
 * The certification runner a partner installs on the machine under test:
 *   register --server URL --token T [--name N] [--dir D]
 *   run [--dir D] [--once] [--gpu auto|cuda|vulkan|metal] [--model own.gguf ...]
 * It keeps its Ed25519 key and its runner secret in --dir (mode 0600), claims jobs under a lease it
 * renews while it works, measures with the real llama.cpp, signs what it measured and uploads it.
 */
interface Config {
  server: string
  runnerId: string
  secret: string
}

async function api(server: string, route: string, init: { method?: string; body?: unknown; secret?: string } = {}) {
  const res = await fetch(new URL(route, server), {
    method: init.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', ...(init.secret && { Authorization: `Bearer ${init.secret}` }) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await res.text()
  const json = text ? JSON.parse(text) : null
  if (!res.ok) throw new Error(`${route}: ${res.status} ${json?.error?.message ?? text}`)
  return { status: res.status, json }
}

export async function register(opts: {
  server: string
  token: string
  name: string
  dir: string
  /** What the machine is; measured here unless given (a test standing in for another machine). */
  fingerprint?: HardwareFingerprint
}): Promise<Config> {
  const keys = await loadOrCreateRunnerKeys(opts.dir)
  const fingerprint = opts.fingerprint ?? (await hardwareFingerprint())
  const { json } = await api(opts.server, '/api/runner/v1/register', {
    body: { token: opts.token, name: opts.name, publicKey: keys.publicKeyPem, fingerprint },
  })
  const config = { server: opts.server, runnerId: json.runnerId, secret: json.secret }
  await writeFile(path.join(opts.dir, 'runner.json'), JSON.stringify(config), { mode: 0o600 })
  return config
}

/** headerSha256: a partner's own file's GGUF header digest, which its request declared. */
type ModelFile = { path: string; sha256: string; bytes: number; headerSha256?: string }

/** A partner's own GGUF files, by SHA-256: the platform gives this runner only jobs on models it holds. */
async function ownModels(paths: string[]): Promise<Map<string, ModelFile>> {
  const held = new Map<string, ModelFile>()
  for (const p of paths) {
    const { sha256, bytes } = await fileSha256(p)
    const header = await ggufHeaderSha256(p).catch((e: Error) => {
      throw new Error(`--model ${p} is not a GGUF file llama.cpp can load: ${e.message}`)
    })
    held.set(sha256, { path: path.resolve(p), sha256, bytes, headerSha256: header.sha256 })
  }
  return held
}

async function modelFor(
  dir: string,
  m: { shape: string; type: string; seed: number; sha256: string },
  own: Map<string, ModelFile>,
): Promise<ModelFile> {
  if (m.shape === 'partner') {
    const file = own.get(m.sha256)
    if (!file)
      throw new Error(
        `This job runs your model “${m.type}” (SHA-256 ${m.sha256}): start the runner with --model <that file>.`,
      )
    return file
  }
  const file = path.join(dir, 'models', `${m.shape}-${m.type}-${m.seed}.gguf`)
  await mkdir(path.dirname(file), { recursive: true })
  // The cache: a model synthesized for an earlier job is used again if its bytes are still the
  // job's (the SHA-256 the platform expects); anything else is synthesized afresh over it.
  if (existsSync(file)) {
    const cached = await fileSha256(file)
    if (cached.sha256 === m.sha256) return { path: file, ...cached }
  }
  // In a process of its own: synthesizing a 1B-class model grows this process's heap past a
  // gigabyte, and V8's collector threads then competed with ggml's for the two cores it measured on
  // (the demo's tg128 fell from ~45 to ~23 t/s right after synthesis).
  const tsx = createRequire(import.meta.url).resolve('tsx/cli')
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      tsx,
      fileURLToPath(new URL('./synthesize-model.ts', import.meta.url)),
      extractVocab(undefined, path.join(dir, 'models')),
      file,
      m.shape,
      String(m.seed),
      m.type,
    ],
    { maxBuffer: 2 ** 20 },
  )
  const out = JSON.parse(stdout) as { path: string; sha256: string; bytes: number }
  return { path: out.path, sha256: out.sha256, bytes: out.bytes }
}

/**
 * What the job's page shows while the runner works: each heartbeat carries the latest step. Steps
 * are sent in order (one request after another), per-repetition updates at most every 2 s. When
 * the platform answers that the job is no longer this runner's (withdrawn, or its lease lapsed),
 * the next step stops the job.
 */
function progressReporter(config: Config, jobId: string, log: (line: string) => void) {
  let latest = 'claimed'
  let lastSentAt = 0
  let lost: string | undefined
  let queue: Promise<unknown> = Promise.resolve()
  const send = () => {
    lastSentAt = Date.now()
    const progress = latest
    queue = queue
      .then(() =>
        api(config.server, `/api/runner/v1/jobs/${jobId}/heartbeat`, { body: { progress }, secret: config.secret }),
      )
      .catch((e: Error) => {
        if (/: 409 /.test(e.message)) lost = e.message
        else log(`heartbeat failed: ${e.message}`)
      })
  }
  return {
    say(step: string, now = false) {
      if (lost) throw new Error(lost)
      latest = step
      if (now || Date.now() - lastSentAt >= 2000) send()
    },
    resend: send,
    /** Every step sent and answered; throws if the job is no longer ours. */
    async settle() {
      await queue
      if (lost) throw new Error(lost)
    },
  }
}

/**
 * The timed challenge (docs/decisions/019): with the model loaded, ask for a challenge sized from
 * the speeds the result will claim, answer the ping at once, compute and send the answer. The
 * platform times it; a late answer is tried again (after `beforeAttempt`) while attempts are left.
 */
export async function takeChallenge(opts: {
  server: string
  secret: string
  jobId: string
  modelPath: string
  gpu?: GpuChoice
  threads: number
  claimed: { pp: number; tg: number }
  /** The job's test sizes: the challenge repeats that work. */
  test: { nPrompt: number; nGen: number }
  beforeAttempt?: () => Promise<void>
  log?: (line: string) => void
}): Promise<{ inTime: boolean; kinds: { kind: string; inTime: boolean; elapsedMs: number; allowedMs: number }[] }> {
  const model = await openChallengeModel({ ...opts, contextSize: opts.test.nPrompt + opts.test.nGen + 64 })
  const kinds = []
  try {
    for (const kind of CHALLENGE_KINDS)
      for (let attempt = 1; ; attempt++) {
        if (attempt > 1) await opts.beforeAttempt?.()
        const route = `/api/runner/v1/jobs/${opts.jobId}/challenge`
        const { json: c } = await api(opts.server, route, { body: { kind, ...opts.claimed }, secret: opts.secret })
        const { json: s } = await api(opts.server, `${route}/${c.challengeId}/start`, { body: {}, secret: opts.secret })
        const answer = await model.answer({ nonce: s.nonce, ...c })
        const { json } = await api(opts.server, `${route}/${c.challengeId}/answer`, {
          body: answer,
          secret: opts.secret,
        })
        opts.log?.(
          `timed ${kind} challenge ${c.attempt}/${c.attempts}: ${c.rounds} × ${c.nPrompt} + ${c.nGen} tokens in ` +
            `${json.elapsedMs} ms (allowed ${json.allowedMs} ms)${json.inTime ? '' : ': late'}`,
        )
        if (json.inTime || c.attempt >= c.attempts) {
          kinds.push({ kind, ...json })
          break
        }
      }
    return { inTime: kinds.every((k) => k.inTime), kinds }
  } finally {
    await model.dispose()
  }
}

/** Claims and runs jobs until stopped (or one, with once). Returns how many it completed. */
export async function run(opts: {
  dir: string
  once?: boolean
  waitSeconds?: number
  gpu?: GpuChoice
  models?: string[]
  log?: (line: string) => void
  /** Stops the daemon before its next claim. */
  signal?: AbortSignal
}): Promise<number> {
  const log = opts.log ?? ((l: string) => console.log(l))
  const config = JSON.parse(await readFile(path.join(opts.dir, 'runner.json'), 'utf8')) as Config
  const keys = await loadOrCreateRunnerKeys(opts.dir)
  const fingerprint = await hardwareFingerprint()
  const own = await ownModels(opts.models ?? [])
  for (const m of own.values()) log(`holding ${m.path} (SHA-256 ${m.sha256})`)
  // How long to wait for other work to leave the CPU before each test (RUNNER_QUIET_WAIT_S, default
  // two minutes; 0: measure at once, as the test suite does while its other files run).
  const quietWaitMs = Number(process.env.RUNNER_QUIET_WAIT_S ?? 120) * 1000
  let done = 0
  // A daemon outlives what goes wrong with one job or one request: a failed job, a withdrawn one
  // (409), a lost lease, the network. It says why, waits (doubling up to a minute) and goes on.
  let backoffMs = 1000
  const backOff = async (what: string, e: unknown) => {
    if (opts.once) throw e
    log(`${what}: ${(e as Error).message}; going on in ${backoffMs / 1000} s`)
    await new Promise((r) => setTimeout(r, backoffMs))
    backoffMs = Math.min(backoffMs * 2, 60_000)
  }
  for (;;) {
    if (opts.signal?.aborted) return done
    let claim: Awaited<ReturnType<typeof api>>
    try {
      claim = await api(config.server, '/api/runner/v1/claim', {
        body: { waitSeconds: opts.waitSeconds ?? 20, models: [...own.keys()] },
        secret: config.secret,
      })
    } catch (e) {
      await backOff('claim failed', e)
      continue
    }
    if (claim.status === 204 || !claim.json?.job) {
      if (opts.once) return done
      continue
    }
    const job = claim.json.job
    log(
      `claimed job ${job.id}: ${job.model.shape} ${job.model.type}, ` +
        `pp${job.nPrompt} tg${job.nGen} × ${job.repetitions}`,
    )
    const progress = progressReporter(config, job.id, log)
    const beat = setInterval(() => progress.resend(), 15_000) // the lease lives while heartbeats come
    try {
      progress.say('preparing the model', true)
      const model = await modelFor(opts.dir, job.model, own)
      progress.say(`model ready (${model.sha256.slice(0, 12)}…)`, true)
      const records = await runLlamaBench({
        modelPath: model.path,
        nonce: job.nonce,
        nPrompt: job.nPrompt,
        nGen: job.nGen,
        repetitions: job.repetitions,
        configuration: job.configuration,
        threads: fingerprint.cpu.cores,
        gpu: opts.gpu,
        onSample: (test, n, ts) => progress.say(`${test}: repetition ${n}, ${ts.toFixed(1)} t/s`),
        beforeTest: async (test) => {
          const pct = (x: number) => `${Math.round(x * 100)}%`
          const q = await waitForQuiet({
            maxWaitMs: quietWaitMs,
            onBusy: (busy) => progress.say(`${test}: waiting for other work to stop (${pct(busy)} of the CPU busy)`),
          })
          if (!q.quiet)
            log(
              `${test}: other work kept ${pct(q.busy!)} of the CPU busy for ${quietWaitMs / 1000} s; measuring anyway`,
            )
        },
      })
      const timedTests = {
        pp: records.find((r) => r.n_prompt === job.nPrompt && r.n_gen === 0),
        tg: records.find((r) => r.n_prompt === 0 && r.n_gen === job.nGen),
      }
      if (job.model.shape !== 'partner' && timedTests.pp && timedTests.tg) {
        progress.say('timed challenge: the platform times a fresh prompt at the speeds measured', true)
        await progress.settle()
        await takeChallenge({
          server: config.server,
          secret: config.secret,
          jobId: job.id,
          modelPath: model.path,
          gpu: opts.gpu,
          threads: fingerprint.cpu.cores,
          claimed: { pp: mean(timedTests.pp.samples_ts), tg: mean(timedTests.tg.samples_ts) },
          test: { nPrompt: job.nPrompt, nGen: job.nGen },
          beforeAttempt: () => waitForQuiet({ maxWaitMs: quietWaitMs }).then(() => undefined),
          log,
        })
      }
      progress.say('comparing next-token logits with the CPU reference', true)
      const correctness = await sampleLogits({ modelPath: model.path, gpu: opts.gpu, threads: fingerprint.cpu.cores })
      log(`correctness: ${compareLogits(correctness).detail}`)
      progress.say('proving execution: top-k log-probabilities on the prompt the nonce seeds', true)
      const proof = await proveExecution({
        modelPath: model.path,
        gpu: opts.gpu,
        threads: fingerprint.cpu.cores,
        nonce: job.nonce,
      })
      progress.say('probing memory bandwidth', true)
      const bandwidth = await measureBandwidth({ threads: fingerprint.cpu.cores })
      progress.say('uploading the signed result', true)
      await progress.settle()
      const result = {
        schema: 'ggml-cert-result/1',
        jobId: job.id,
        nonce: job.nonce,
        runnerId: config.runnerId,
        model: {
          ...job.model,
          sha256: model.sha256,
          bytes: model.bytes,
          ...(model.headerSha256 && { headerSha256: model.headerSha256 }),
        },
        hardware: fingerprint,
        bandwidth,
        records,
        correctness,
        proof,
        createdAt: new Date().toISOString(),
      }
      const { json } = await api(config.server, `/api/runner/v1/jobs/${job.id}/result`, {
        body: { result, signature: signPayload(result, keys.privateKey) },
        secret: config.secret,
      })
      log(
        json.verifying
          ? 'result uploaded: every check passed; the platform is recomputing its proof of execution'
          : json.accepted
            ? json.badgeId
              ? `result accepted: badge ${json.badgeId}`
              : 'result accepted: a further run of a product that holds a badge, kept for its review'
            : `result rejected: ${json.checks
                .filter((c: { ok: boolean }) => !c.ok)
                .map((c: { check: string }) => c.check)
                .join(', ')}`,
      )
      done++
      backoffMs = 1000
    } catch (e) {
      await backOff(`job ${job.id} stopped`, e)
    } finally {
      clearInterval(beat)
    }
    if (opts.once) return done
  }
}

// CLI
if (import.meta.url === `file://${process.argv[1]}`) {
  const [cmd, ...rest] = process.argv.slice(2)
  const arg = (name: string) => {
    const i = rest.indexOf(`--${name}`)
    return i >= 0 ? rest[i + 1] : undefined
  }
  const dir = path.resolve(arg('dir') ?? path.join(process.env.HOME ?? '.', '.ggml-runner'))
  if (!process.env.UV_THREADPOOL_SIZE)
    console.warn('Set UV_THREADPOOL_SIZE=1 for accurate generation numbers (see docs/decisions/007).')
  if (cmd === 'register') {
    const c = await register({
      server: arg('server') ?? 'http://localhost:3000',
      token: arg('token') ?? '',
      name: arg('name') ?? (await import('node:os')).hostname(),
      dir,
    })
    console.log(`registered runner ${c.runnerId}; now: runner run --dir ${dir}`)
  } else if (cmd === 'run') {
    if (!existsSync(path.join(dir, 'runner.json')))
      throw new Error(`No runner registered in ${dir}: run register first.`)
    const gpu = arg('gpu') as GpuChoice | undefined
    if (gpu && !(gpuChoices as readonly string[]).includes(gpu))
      throw new Error(`--gpu takes ${gpuChoices.join(', ')} (leave it out to measure the CPU).`)
    const models = rest.flatMap((a, i) => (a === '--model' && rest[i + 1] ? [rest[i + 1]!] : []))
    for (const m of models) if (!existsSync(m)) throw new Error(`--model ${m}: no such file.`)
    await run({ dir, once: rest.includes('--once'), gpu, models })
  } else {
    console.log(
      'usage: runner register --server URL --token T [--name N] [--dir D] | runner run [--dir D] [--once] ' +
        '[--gpu auto|cuda|vulkan|metal] [--model own.gguf ...]',
    )
  }
  process.exit(0)
}
