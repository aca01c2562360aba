import { createHash } from 'node:crypto'
import {
  ggufHeaderDigest,
  GgufHeaderError,
  parseGgufHeader,
  type GgufFile,
  type GgufValue,
} from '../../certification-lab/gguf/gguf.ts'
import { ggmlTensorBytes, ggmlTypes } from '../../certification-lab/gguf/tensor-types.ts'
import type { ModelWorkload } from '../../certification-lab/synthesize-model.ts'

/**
 * A partner's own GGUF as declared at request time: the header it attached (the file's first bytes)
 * read by the platform into a tensor table, bound to the SHA-256 it entered. The runner that runs the
 * job must hold a file with that SHA-256 whose header has the same digest and whose size the table
 * accounts for; the physical bounds use the table's workload. It stays the partner's word (the
 * platform holds no copy of the weights), and the badge says so.
 */
export interface DeclaredModel {
  sha256: string
  /** SHA-256 of the header: the file's bytes up to the end of the tensor descriptions. */
  headerSha256: string
  headerBytes: number
  architecture: string
  /** The file's size the table accounts for: data end, or data end padded to the alignment. */
  fileBytes: { min: number; max: number }
  tensors: number
  parameters: number
  /** Bytes of every tensor, unpadded: what llama.cpp reports as the model's size once loaded. */
  tensorBytes: number
  /** Tensors per ggml type, e.g. { q4_K: 193, f32: 65 }. */
  types: Record<string, number>
  /** A lower bound on each token's work, so that a bound computed from it is never too tight. */
  workload: ModelWorkload
}

export type Declaration = { ok: true; model: DeclaredModel } | { ok: false; message: string }

const fileHint = 'attach the first bytes of the GGUF file, e.g. head -c 64M model.gguf > header.gguf'

export function declarePartnerModel(header: Uint8Array, sha256: string): Declaration {
  let gguf: GgufFile & { headerBytes: number }
  try {
    gguf = parseGgufHeader(header)
  } catch (e) {
    if (!(e instanceof GgufHeaderError)) throw e
    return { ok: false, message: `Model header: ${e.message}; ${fileHint}.` }
  }
  const architecture = gguf.metadata.get('general.architecture')?.value
  if (typeof architecture !== 'string' || !architecture)
    return { ok: false, message: 'Model header: it names no general.architecture, so it is not a llama.cpp model.' }
  if (gguf.tensors.length === 0) return { ok: false, message: 'Model header: it describes no tensors.' }
  const { alignment } = gguf
  const sized: { name: string; dims: number[]; type: number; offset: number; bytes: number }[] = []
  for (const t of gguf.tensors) {
    const bytes = ggmlTensorBytes(t.type, t.dims)
    if (typeof bytes === 'string') return { ok: false, message: `Model header: tensor ${t.name}: ${bytes}.` }
    const offset = Number(t.offset)
    if (!Number.isSafeInteger(offset) || offset % alignment)
      return {
        ok: false,
        message: `Model header: tensor ${t.name} starts at ${t.offset}, not on the ${alignment}-byte alignment.`,
      }
    sized.push({ name: t.name, dims: t.dims, type: t.type, offset, bytes })
  }
  const byOffset = [...sized].sort((a, b) => a.offset - b.offset)
  for (let i = 1; i < byOffset.length; i++)
    if (byOffset[i - 1]!.offset + byOffset[i - 1]!.bytes > byOffset[i]!.offset)
      return { ok: false, message: `Model header: tensors ${byOffset[i - 1]!.name} and ${byOffset[i]!.name} overlap.` }
  const last = byOffset.at(-1)!
  const end = last.offset + last.bytes
  const fileBytes = { min: gguf.dataOffset + end, max: gguf.dataOffset + Math.ceil(end / alignment) * alignment }
  // A whole file attached (a small model) is checked against the SHA-256 entered, not just trusted.
  if (header.byteLength >= fileBytes.min && header.byteLength <= fileBytes.max) {
    const actual = createHash('sha256').update(header).digest('hex')
    if (actual !== sha256)
      return {
        ok: false,
        message:
          `Model header: the file attached is the whole model, and its SHA-256 is ${actual}, ` + 'not the one entered.',
      }
  }
  const types: Record<string, number> = {}
  for (const t of sized) types[ggmlTypes[t.type]!.name] = (types[ggmlTypes[t.type]!.name] ?? 0) + 1
  return {
    ok: true,
    model: {
      sha256,
      headerSha256: ggufHeaderDigest(header, gguf.headerBytes),
      headerBytes: gguf.headerBytes,
      architecture,
      fileBytes,
      tensors: sized.length,
      parameters: sized.reduce((n, t) => n + elements(t.dims), 0),
      tensorBytes: sized.reduce((n, t) => n + t.bytes, 0),
      types,
      workload: workloadOf(gguf, architecture, sized),
    },
  }
}

const elements = (dims: number[]) => dims.reduce((a, b) => a * b, 1)

/** A number, or the smallest of an array of numbers (per-layer values); undefined otherwise. */
function smallest(v: GgufValue | undefined): number | undefined {
  if (!v) return undefined
  const xs = (Array.isArray(v.value) ? v.value : [v.value]).map(Number)
  return xs.length && xs.every((x) => Number.isFinite(x) && x >= 0) ? Math.min(...xs) : undefined
}

/**
 * What each generated token must at least read and compute, from the table. Counted: the layers'
 * tensors (blk.*), the output norm and the output matrix (token_embd when the output is tied to
 * it); not counted: lookups (token_embd, position_embd), anything outside the layers (a vision
 * tower, say). Mixture-of-experts tensors (*_exps) count for the share of experts a token uses,
 * and not at all when the header does not say it.
 */
function workloadOf(
  gguf: GgufFile,
  arch: string,
  tensors: { name: string; dims: number[]; bytes: number }[],
): ModelWorkload {
  const meta = (key: string) => smallest(gguf.metadata.get(`${arch}.${key}`))
  const [experts, used] = [meta('expert_count'), meta('expert_used_count')]
  const expertShare = experts && used !== undefined && used <= experts ? used / experts : 0
  const output = tensors.find((t) => t.name === 'output.weight') ?? tensors.find((t) => t.name === 'token_embd.weight')
  let weightBytes = 0
  let layerParameters = 0
  for (const t of tensors) {
    const share = /_exps\./.test(t.name) ? expertShare : 1
    if (t.name.startsWith('blk.')) {
      weightBytes += t.bytes * share
      if (t.dims.length >= 2) layerParameters += elements(t.dims) * share
    } else if (t.name === 'output_norm.weight' || t === output) weightBytes += t.bytes
  }
  // The KV cache per token and layer: heads × the shorter of the key and value lengths.
  const headsKv = meta('attention.head_count_kv') ?? meta('attention.head_count')
  const [embd, heads] = [meta('embedding_length'), meta('attention.head_count')]
  const headLength = Math.min(
    meta('attention.key_length') ?? Infinity,
    meta('attention.value_length') ?? Infinity,
    embd && heads ? embd / heads : Infinity,
  )
  return {
    nVocab: output?.dims[1] ?? 0,
    nLayer: meta('block_count') ?? 0,
    nEmbdKv: headsKv !== undefined && Number.isFinite(headLength) ? Math.floor(headsKv * headLength) : 0,
    weightBytesPerToken: Math.floor(weightBytes),
    layerParameters: Math.floor(layerParameters),
    outputParameters: output ? elements(output.dims) : 0,
  }
}
