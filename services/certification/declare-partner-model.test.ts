import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractVocab } from '../../native/extract-vocab.ts'
import { fileSha256, ggufHeaderSha256 } from '../../certification-lab/file-digest.ts'
import { TensorType, ValueType, writeGguf } from '../../certification-lab/gguf/gguf.ts'
import { modelWorkload, shapes, synthesizeModel } from '../../certification-lab/synthesize-model.ts'
import { declarePartnerModel } from './declare-partner-model.ts'

let dir: string
let model: { path: string; sha256: string; bytes: number }
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'declare-'))
  const out = path.join(dir, 'own.gguf')
  model = await synthesizeModel({ vocabPath: extractVocab(), outPath: out, shape: shapes.tiny, seed: 5, type: 'Q8_0' })
}, 120_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

const refusal = (d: ReturnType<typeof declarePartnerModel>) => (d.ok ? 'accepted' : d.message)

describe('a partner’s model, declared by its GGUF header', () => {
  it('reads the same tensor table the platform computes for a model it synthesizes', async () => {
    const file = await readFile(model.path)
    const header = file.subarray(0, 2 ** 20)
    const d = declarePartnerModel(header, model.sha256)
    if (!d.ok) throw new Error(d.message)
    expect(d.model.workload).toEqual(modelWorkload(shapes.tiny, 'Q8_0', 32000))
    expect(d.model.fileBytes.min).toBeLessThanOrEqual(model.bytes)
    expect(d.model.fileBytes.max).toBeGreaterThanOrEqual(model.bytes)
    expect(d.model).toMatchObject({ architecture: 'llama', types: { q8_0: 16, f32: 5 }, tensors: 21 })
    // The runner's digest of the file it holds is the declaration's.
    expect(await ggufHeaderSha256(model.path)).toEqual({ sha256: d.model.headerSha256, bytes: d.model.headerBytes })
  })

  it('checks a whole file attached against the SHA-256 entered', async () => {
    const file = await readFile(model.path)
    expect(declarePartnerModel(file, model.sha256).ok).toBe(true)
    expect(refusal(declarePartnerModel(file, 'a'.repeat(64)))).toBe(
      `Model header: the file attached is the whole model, and its SHA-256 is ${model.sha256}, not the one entered.`,
    )
  })

  it('refuses, in words, what is not a whole header', async () => {
    const file = await readFile(model.path)
    expect(refusal(declarePartnerModel(file.subarray(0, 1000), model.sha256))).toBe(
      'Model header: the header continues past the 1000 bytes given; attach the first bytes of the GGUF file, ' +
        'e.g. head -c 64M model.gguf > header.gguf.',
    )
    expect(refusal(declarePartnerModel(new TextEncoder().encode('%PDF-1.7'), model.sha256))).toMatch(
      /^Model header: not a GGUF file/,
    )
    // A hostile count (2^60 bytes of key) is refused before anything is allocated.
    const hostile = Buffer.alloc(32)
    hostile.write('GGUF', 0)
    hostile.writeUInt32LE(3, 4)
    hostile.writeBigUInt64LE(1n, 8)
    hostile.writeBigUInt64LE(1n, 16)
    hostile.writeBigUInt64LE(2n ** 60n, 24)
    expect(refusal(declarePartnerModel(hostile, model.sha256))).toMatch(/continues past the 32 bytes given/)
  })

  it('counts a mixture of experts for the experts a token uses, and lookups not at all', async () => {
    const file = path.join(dir, 'moe.gguf')
    const f32 = (name: string, dims: number[]) => ({
      name,
      dims,
      type: TensorType.F32,
      data: () => Buffer.alloc(dims.reduce((a, b) => a * b, 4)),
    })
    await writeGguf(
      file,
      [
        ['general.architecture', { type: ValueType.STRING, value: 'moe' }],
        ['moe.block_count', { type: ValueType.UINT32, value: 1 }],
        ['moe.expert_count', { type: ValueType.UINT32, value: 8 }],
        ['moe.expert_used_count', { type: ValueType.UINT32, value: 2 }],
        ['moe.embedding_length', { type: ValueType.UINT32, value: 4 }],
        ['moe.attention.head_count', { type: ValueType.UINT32, value: 2 }],
        ['moe.attention.head_count_kv', { type: ValueType.UINT32, value: 1 }],
      ],
      [
        f32('token_embd.weight', [4, 10]),
        f32('blk.0.attn_q.weight', [4, 4]),
        f32('blk.0.ffn_up_exps.weight', [4, 8, 8]),
        f32('output.weight', [4, 10]),
      ],
    )
    const d = declarePartnerModel(await readFile(file), (await fileSha256(file)).sha256)
    if (!d.ok) throw new Error(d.message)
    expect(d.model.workload).toEqual({
      nVocab: 10,
      nLayer: 1,
      nEmbdKv: 2, // one KV head of 4 / 2
      weightBytesPerToken: (4 * 8 * 8 * 4 * 2) / 8 + 4 * 4 * 4 + 4 * 10 * 4,
      layerParameters: (4 * 8 * 8 * 2) / 8 + 16,
      outputParameters: 40,
    })
    expect(d.model.fileBytes.max).toBe((await stat(file)).size)
  })
})
