import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractVocab } from '../../native/extract-vocab.ts'
import { hardwareFingerprint } from '../../certification-lab/hardware-fingerprint.ts'
import { loadOrCreateRunnerKeys, signPayload, verifyPayload } from '../../certification-lab/signing.ts'
import { shapes, synthesizeModel } from '../../certification-lab/synthesize-model.ts'
import { runLlamaBench, sampleStddev } from '../../certification-lab/benchmark/llama-bench.ts'

let dir: string
let modelPath: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bench-'))
  modelPath = (
    await synthesizeModel({
      vocabPath: extractVocab(),
      outPath: path.join(dir, 'tiny.gguf'),
      shape: shapes.tiny,
      seed: 3,
      type: 'Q8_0',
    })
  ).path
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('the benchmark', () => {
  it('measures pp and tg with the real llama.cpp and reports llama-bench records', async () => {
    const records = await runLlamaBench({
      modelPath,
      nonce: 'n-1',
      threads: 2,
      nPrompt: 64,
      nGen: 16,
      repetitions: 3,
      targetCv: Infinity,
    })
    expect(records.map((r) => [r.n_prompt, r.n_gen])).toEqual([
      [64, 0],
      [0, 16],
    ])
    for (const r of records) {
      expect(r.samples_ts).toHaveLength(3)
      expect(r.avg_ts).toBeCloseTo(r.samples_ts.reduce((a, b) => a + b, 0) / 3, 6)
      expect(r.stddev_ts).toBeCloseTo(sampleStddev(r.samples_ts), 6)
      expect(r.avg_ts).toBeGreaterThan(0)
      expect(r).toMatchObject({
        // As ran: node-llama-cpp's one batch size, the job's default 512 (n_ubatch = n_batch).
        n_threads: 2,
        n_batch: 512,
        n_ubatch: 512,
        flash_attn: 1,
        type_k: 'f16',
        n_gpu_layers: 0,
        backends: 'CPU',
        model_n_params: expect.any(Number),
        model_type: expect.stringMatching(/^llama .+ Q8_0$/),
      })
    }
  }, 120_000)

  it('repeats until the spread is small, keeping every sample, up to a cap', async () => {
    const [tg] = await runLlamaBench({
      modelPath,
      nonce: 'n-3',
      threads: 2,
      nPrompt: 0,
      nGen: 8,
      repetitions: 2,
      targetCv: 0,
      maxRepetitions: 5,
    })
    expect(tg!.samples_ts).toHaveLength(5) // a spread of 0 is never reached: runs to the cap
    expect(tg!.avg_ts).toBeCloseTo(tg!.samples_ts.reduce((a, b) => a + b, 0) / 5, 6)
  }, 60_000)

  it('is signed by the runner key, verifies, and fails to verify after any change or with another key', async () => {
    const keys = await loadOrCreateRunnerKeys(path.join(dir, 'runner'))
    expect((await stat(path.join(dir, 'runner', 'runner-key.pem'))).mode & 0o777).toBe(0o600)
    const again = await loadOrCreateRunnerKeys(path.join(dir, 'runner'))
    expect(again.publicKeyPem).toBe(keys.publicKeyPem)
    const result = {
      nonce: 'n-2',
      records: await runLlamaBench({ modelPath, nonce: 'n-2', threads: 2, nPrompt: 32, nGen: 8, repetitions: 2 }),
    }
    const signature = signPayload(result, keys.privateKey)
    expect(verifyPayload(result, signature, keys.publicKeyPem)).toBe(true)
    expect(verifyPayload(JSON.parse(JSON.stringify(result)), signature, keys.publicKeyPem)).toBe(true)
    const tampered = structuredClone(result)
    tampered.records[1]!.avg_ts *= 1.5
    expect(verifyPayload(tampered, signature, keys.publicKeyPem)).toBe(false)
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString()
    expect(verifyPayload(result, signature, other)).toBe(false)
  }, 120_000)

  it('fingerprints the machine: CPU, features, memory, backends, versions', async () => {
    const f = await hardwareFingerprint()
    expect(f.cpu.threads).toBeGreaterThan(0)
    expect(f.backends).toContain('CPU')
    expect(f.nodeLlamaCpp).toBe('3.21.1')
    expect(f.llamaCpp).toMatch(/./)
  }, 60_000)
})
