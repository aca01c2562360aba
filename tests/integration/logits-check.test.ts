import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { extractVocab } from '../../native/extract-vocab.ts'
import { shapes, synthesizeModel } from '../../certification-lab/synthesize-model.ts'
import {
  compareLogits,
  cpuReferenceInChildProcess,
  MAX_LOGPROB_ERROR,
  sampleLogits,
} from '../../certification-lab/benchmark/logits-check.ts'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

// A sample as the runner reports it: token ids and both sides' log-probabilities.
const sample = (reference: number[], backend: number[], k = 3) => ({
  backend: 'cuda',
  k,
  tokens: reference.map((_, i) => 100 + i),
  referenceLogprobs: reference,
  backendLogprobs: backend,
})
const ref = [-8.1, -8.12, -8.25, -8.3, -9, -9.5]

describe('the logits correctness check', () => {
  it.each([
    ['identical numbers', ref, true],
    ['a near-tie swapped within the error bound', [-8.13, -8.11, -8.25, -8.3, -9, -9.5], true],
    ['every value off by just under the bound', ref.map((x) => x + MAX_LOGPROB_ERROR * 0.99), true],
    ['one value off by more than the bound', [-8.1, -8.12, -8.25, -8.3, -9 + 0.2, -9.5], false],
    [
      'a backend whose top token the reference ranks last (fast but wrong)',
      [-9.5, -9, -8.3, -8.25, -8.12, -8.1],
      false,
    ],
    ['a non-finite value', [-8.1, -8.12, -8.25, -8.3, Number.NaN, -9.5], false],
    ['a short list', ref.slice(1), false],
  ])('%s → ok=%s', (_, backend, ok) => {
    const verdict = compareLogits(sample(ref, backend))
    expect(verdict.ok).toBe(ok)
    expect(verdict.detail).toMatch(ok ? /top token is in the reference top-3/ : /is not in|error|malformed/)
  })

  it('on the CPU, the real llama.cpp reports a sample the platform accepts, and the same numbers twice', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'logits-'))
    dirs.push(dir)
    const model = await synthesizeModel({
      vocabPath: extractVocab(),
      outPath: path.join(dir, 'tiny.gguf'),
      shape: shapes.tiny,
      seed: 11,
      type: 'Q8_0',
    })
    const a = await sampleLogits({ modelPath: model.path, threads: 2 })
    const b = await sampleLogits({ modelPath: model.path, threads: 2 })
    expect(a.backend).toBe('CPU')
    expect(a.tokens.length).toBe(a.k)
    expect(b.backendLogprobs).toEqual(a.backendLogprobs)
    expect(a.referenceLogprobs[0]).toBeGreaterThan(Math.log(1 / 32000)) // the top token beats a flat distribution
    expect(compareLogits(a)).toMatchObject({ ok: true, top1InReferenceTopK: true, topKOverlap: 1, maxAbsError: 0 })
    // The reference a GPU run compares with comes from a process of its own: the same CPU numbers.
    const child = await cpuReferenceInChildProcess(model.path, 2)
    expect(child.backend).toBe('CPU')
    expect(a.tokens.map((t) => Math.log(child.probabilities.get(t)!))).toEqual(a.referenceLogprobs)
  }, 60_000)
})
