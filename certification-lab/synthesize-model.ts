import { randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { fileSha256 } from './file-digest.ts'
import {
  TensorType,
  ValueType,
  readGguf,
  tensorBytes,
  writeGguf,
  type GgufValue,
  type TensorToWrite,
} from './gguf/gguf.ts'
import { toF16 } from './gguf/f16.ts'
import { quantizeQ4_0, quantizeQ8_0 } from './gguf/quantize.ts'

/**
 * Synthesizes a llama-architecture GGUF model with the real llama tokenizer vocabulary and weights
 * drawn from a fixed seed: llama.cpp runs it at the full cost of a real model of that shape, and the
 * same seed and shape always give the same bytes (its SHA-256 goes into every result).
 */
export interface ModelShape {
  name: string
  nEmbd: number
  nLayer: number
  nHead: number
  nHeadKv: number
  nFf: number
  contextLength: number
}

export const shapes = {
  /** For CI: loads and runs in a few seconds on two cores. */
  tiny: { name: 'ggml-cert-tiny', nEmbd: 128, nLayer: 2, nHead: 4, nHeadKv: 4, nFf: 352, contextLength: 1024 },
  /** The benchmark shape: 512 wide, 8 layers (~121 MB as F16). */
  small: { name: 'ggml-cert-small', nEmbd: 512, nLayer: 8, nHead: 8, nHeadKv: 8, nFf: 1376, contextLength: 2048 },
  '1b': { name: 'ggml-cert-1b', nEmbd: 2048, nLayer: 16, nHead: 32, nHeadKv: 8, nFf: 8192, contextLength: 4096 },
  '7b': { name: 'ggml-cert-7b', nEmbd: 4096, nLayer: 32, nHead: 32, nHeadKv: 32, nFf: 11008, contextLength: 4096 },
} satisfies Record<string, ModelShape>

/** xoshiro128**: small, fast, and the same sequence on every platform. */
function xoshiro128(seed: number) {
  let a = 0x9e3779b9 ^ seed
  let b = 0x243f6a88 ^ (seed * 31)
  let c = 0xb7e15162 ^ (seed * 17)
  let d = 0xdeadbeef ^ (seed * 7)
  const next = () => {
    const r = Math.imul(b * 5, 7) >>> 0
    const result = ((r << 7) | (r >>> 25)) * 9
    const t = b << 9
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = (d << 11) | (d >>> 21)
    return (result >>> 0) / 4294967296
  }
  for (let i = 0; i < 16; i++) next()
  return next
}

export type WeightType = 'F16' | 'Q8_0' | 'Q4_0'
const fileType: Record<WeightType, number> = { F16: 1, Q4_0: 2, Q8_0: 7 }
const tensorType: Record<WeightType, TensorType> = { F16: TensorType.F16, Q4_0: TensorType.Q4_0, Q8_0: TensorType.Q8_0 }

function weights(rand: () => number, count: number, scale: number): Float32Array {
  const w = new Float32Array(count)
  // Sum of four uniforms: close enough to a normal for weights, and cheap.
  for (let i = 0; i < count; i++) w[i] = (rand() + rand() + rand() + rand() - 2) * 1.7320508 * scale
  return w
}

function encode(type: WeightType, w: Float32Array): Buffer {
  if (type === 'Q8_0') return quantizeQ8_0(w)
  if (type === 'Q4_0') return quantizeQ4_0(w)
  const buf = Buffer.alloc(w.length * 2)
  for (let i = 0; i < w.length; i++) buf.writeUInt16LE(toF16(w[i]!), i * 2)
  return buf
}

function onesF32(count: number): Buffer {
  const buf = Buffer.alloc(count * 4)
  for (let i = 0; i < count; i++) buf.writeFloatLE(1, i * 4)
  return buf
}

export async function synthesizeModel(opts: {
  vocabPath: string
  outPath: string
  shape: ModelShape
  seed: number
  type?: WeightType
}): Promise<{ path: string; sha256: string; parameters: number; bytes: number }> {
  const { shape: s, seed } = opts
  const type = opts.type ?? 'F16'
  const vocab = await readGguf(opts.vocabPath)
  const tokens = vocab.metadata.get('tokenizer.ggml.tokens')
  if (!tokens || tokens.type !== ValueType.ARRAY) throw new Error('the vocabulary file has no tokenizer.ggml.tokens')
  const nVocab = tokens.value.length
  const nEmbdKv = (s.nEmbd / s.nHead) * s.nHeadKv
  const metadata: [string, GgufValue][] = [
    ['general.architecture', { type: ValueType.STRING, value: 'llama' }],
    ['general.name', { type: ValueType.STRING, value: `${s.name}-${type}-seed${seed}` }],
    ['general.file_type', { type: ValueType.UINT32, value: fileType[type] }],
    ['llama.context_length', { type: ValueType.UINT32, value: s.contextLength }],
    ['llama.embedding_length', { type: ValueType.UINT32, value: s.nEmbd }],
    ['llama.block_count', { type: ValueType.UINT32, value: s.nLayer }],
    ['llama.feed_forward_length', { type: ValueType.UINT32, value: s.nFf }],
    ['llama.attention.head_count', { type: ValueType.UINT32, value: s.nHead }],
    ['llama.attention.head_count_kv', { type: ValueType.UINT32, value: s.nHeadKv }],
    ['llama.rope.dimension_count', { type: ValueType.UINT32, value: s.nEmbd / s.nHead }],
    ['llama.attention.layer_norm_rms_epsilon', { type: ValueType.FLOAT32, value: 1e-5 }],
    ['llama.vocab_size', { type: ValueType.UINT32, value: nVocab }],
    ...[...vocab.metadata].filter(([k]) => k.startsWith('tokenizer.')),
  ]
  const rand = xoshiro128(seed)
  const scale = 0.02
  // The same seed draws the same weights whatever the storage type, so F16, Q8_0 and Q4_0 files are one model.
  const w = (name: string, dims: number[]): TensorToWrite => ({
    name,
    dims,
    type: tensorType[type],
    data: () => encode(type, weights(rand, dims[0]! * dims[1]!, scale)),
  })
  const norm = (name: string): TensorToWrite => ({
    name,
    dims: [s.nEmbd],
    type: TensorType.F32,
    data: () => onesF32(s.nEmbd),
  })
  const tensors: TensorToWrite[] = [w('token_embd.weight', [s.nEmbd, nVocab])]
  for (let i = 0; i < s.nLayer; i++) {
    tensors.push(
      norm(`blk.${i}.attn_norm.weight`),
      w(`blk.${i}.attn_q.weight`, [s.nEmbd, s.nEmbd]),
      w(`blk.${i}.attn_k.weight`, [s.nEmbd, nEmbdKv]),
      w(`blk.${i}.attn_v.weight`, [s.nEmbd, nEmbdKv]),
      w(`blk.${i}.attn_output.weight`, [s.nEmbd, s.nEmbd]),
      norm(`blk.${i}.ffn_norm.weight`),
      w(`blk.${i}.ffn_gate.weight`, [s.nEmbd, s.nFf]),
      w(`blk.${i}.ffn_down.weight`, [s.nFf, s.nEmbd]),
      w(`blk.${i}.ffn_up.weight`, [s.nEmbd, s.nFf]),
    )
  }
  tensors.push(norm('output_norm.weight'), w('output.weight', [s.nEmbd, nVocab]))
  // Written beside the target and renamed into place: a crash or a second writer leaves a partial
  // file under another name, never a truncated model under the real one.
  const partial = `${opts.outPath}.partial-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    await writeGguf(partial, metadata, tensors)
    // On disk before it takes the real name, and before anyone measures: writeback of 622 MB during
    // a benchmark showed as I/O wait and a tg128 that drifted from 38 to 17 t/s.
    const handle = await open(partial, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(partial, opts.outPath)
  } finally {
    await rm(partial, { force: true })
  }
  const parameters = tensors.reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1), 0)
  return { path: opts.outPath, ...(await fileSha256(opts.outPath)), parameters }
}

/**
 * What one token costs on a model of this shape, from its tensor table: the bytes a generated token
 * must read (every weight but token_embd, which is a row lookup) and the multiply-adds per token of
 * the layers and of the output layer (llama-bench's pp computes the output for the last token only).
 */
export interface ModelWorkload {
  nVocab: number
  nLayer: number
  nEmbdKv: number
  /** Bytes of every tensor but token_embd.weight. */
  weightBytesPerToken: number
  layerParameters: number
  outputParameters: number
}

export function modelWorkload(s: ModelShape, type: WeightType, nVocab: number): ModelWorkload {
  const t = tensorType[type]
  const nEmbdKv = (s.nEmbd / s.nHead) * s.nHeadKv
  const layer = [
    [s.nEmbd, s.nEmbd],
    [s.nEmbd, nEmbdKv],
    [s.nEmbd, nEmbdKv],
    [s.nEmbd, s.nEmbd],
    [s.nEmbd, s.nFf],
    [s.nFf, s.nEmbd],
    [s.nEmbd, s.nFf],
  ]
  const norms = (2 * s.nLayer + 1) * tensorBytes(TensorType.F32, [s.nEmbd])
  const layerBytes = layer.reduce((n, dims) => n + tensorBytes(t, dims), 0)
  return {
    nVocab,
    nLayer: s.nLayer,
    nEmbdKv,
    weightBytesPerToken: s.nLayer * layerBytes + norms + tensorBytes(t, [s.nEmbd, nVocab]),
    layerParameters: s.nLayer * layer.reduce((n, [a, b]) => n + a! * b!, 0),
    outputParameters: s.nEmbd * nVocab,
  }
}

// The runner synthesizes in a child process: vocabulary, output path, shape, seed and type in, the
// file's path, SHA-256 and size out (JSON on stdout).
if (import.meta.url === `file://${process.argv[1]}`) {
  const [vocabPath, outPath, shape, seed, type] = process.argv.slice(2)
  const out = await synthesizeModel({
    vocabPath: vocabPath!,
    outPath: outPath!,
    shape: shapes[shape as keyof typeof shapes],
    seed: Number(seed),
    type: type as WeightType,
  })
  process.stdout.write(JSON.stringify(out), () => process.exit(0))
}
