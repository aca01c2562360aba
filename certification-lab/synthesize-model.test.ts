import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { getLlama } from 'node-llama-cpp'
import { afterAll, describe, expect, it } from 'vitest'
import { extractVocab } from '../native/extract-vocab.ts'
import { readGguf } from './gguf/gguf.ts'
import { shapes, synthesizeModel } from './synthesize-model.ts'

const dirs: string[] = []
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true })
})

describe('synthesized GGUF models', () => {
  it('are byte-identical for the same seed, and read back by our reader', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gguf-'))
    dirs.push(dir)
    const vocabPath = extractVocab()
    const a = await synthesizeModel({ vocabPath, outPath: path.join(dir, 'a.gguf'), shape: shapes.tiny, seed: 42 })
    const b = await synthesizeModel({ vocabPath, outPath: path.join(dir, 'b.gguf'), shape: shapes.tiny, seed: 42 })
    const c = await synthesizeModel({ vocabPath, outPath: path.join(dir, 'c.gguf'), shape: shapes.tiny, seed: 43 })
    expect(a.sha256).toBe(b.sha256)
    expect(c.sha256).not.toBe(a.sha256)
    const read = await readGguf(a.path)
    expect(read.metadata.get('general.architecture')?.value).toBe('llama')
    expect(read.tensors.find((t) => t.name === 'token_embd.weight')?.dims).toEqual([128, 32000])
    // Three models of 32,000 × 128 embeddings: about 3 s alone, past the unit lane's 10 s on a loaded machine.
  }, 60_000)

  it.each(['F16', 'Q8_0', 'Q4_0'] as const)(
    'as %s, are loaded and run by the real llama.cpp (node-llama-cpp, prebuilt CPU binaries)',
    async (type) => {
      const dir = await mkdtemp(path.join(tmpdir(), 'gguf-'))
      dirs.push(dir)
      const model = await synthesizeModel({
        vocabPath: extractVocab(),
        outPath: path.join(dir, 'tiny.gguf'),
        shape: shapes.tiny,
        seed: 7,
        type,
      })
      const llama = await getLlama({ build: 'never', gpu: false, logLevel: 'error' as never })
      const loaded = await llama.loadModel({ modelPath: model.path })
      expect(loaded.trainContextSize).toBe(1024)
      const tokens = loaded.tokenize('The quick brown fox')
      expect(tokens.length).toBeGreaterThan(2)
      const context = await loaded.createContext({ contextSize: 256, threads: 2 })
      const sequence = context.getSequence()
      const generated: number[] = []
      for await (const token of sequence.evaluate(tokens, { temperature: 0 })) {
        generated.push(token)
        if (generated.length === 8) break
      }
      expect(generated).toHaveLength(8)
      await context.dispose()
      await loaded.dispose()
      await llama.dispose()
    },
    120_000,
  )
})
