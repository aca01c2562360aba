import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { once } from 'node:events'
import { createHash } from 'node:crypto'
import { ggmlTensorBytes } from './tensor-types.ts'

/**
 * GGUF v3, the llama.cpp model format: a header of typed key/value metadata, tensor descriptions,
 * then aligned tensor data. https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
 */
export const enum ValueType {
  UINT8 = 0,
  INT8 = 1,
  UINT16 = 2,
  INT16 = 3,
  UINT32 = 4,
  INT32 = 5,
  FLOAT32 = 6,
  BOOL = 7,
  STRING = 8,
  ARRAY = 9,
  UINT64 = 10,
  INT64 = 11,
  FLOAT64 = 12,
}

export const enum TensorType {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q8_0 = 8,
}

export type GgufValue =
  | { type: ValueType.STRING; value: string }
  | {
      type:
        | ValueType.UINT32
        | ValueType.INT32
        | ValueType.FLOAT32
        | ValueType.UINT8
        | ValueType.INT8
        | ValueType.UINT16
        | ValueType.INT16
        | ValueType.FLOAT64
      value: number
    }
  | { type: ValueType.UINT64 | ValueType.INT64; value: bigint }
  | { type: ValueType.BOOL; value: boolean }
  | { type: ValueType.ARRAY; itemType: ValueType; value: (string | number | bigint | boolean)[] }

export interface TensorInfo {
  name: string
  /** ggml order: dims[0] is the innermost (contiguous) dimension. */
  dims: number[]
  type: TensorType
  offset: bigint
}

export interface GgufFile {
  version: number
  metadata: Map<string, GgufValue>
  tensors: TensorInfo[]
  /** general.alignment, or GGUF's default of 32: where tensor data and each tensor start. */
  alignment: number
  dataOffset: number
}

const MAGIC = 0x46554747 // "GGUF" little-endian

/** A header that cannot be read: not GGUF, cut short (truncated), or beyond what a model needs. */
export class GgufHeaderError extends Error {
  constructor(
    message: string,
    readonly truncated = false,
  ) {
    super(message)
  }
}

// Counts a real model stays far below; a header that claims more is refused before it is allocated.
const MAX_TENSORS = 1_000_000
const MAX_KEYS = 100_000

class Reader {
  pos = 0
  constructor(private readonly b: Buffer) {}
  private need(n: number) {
    if (this.pos + n > this.b.length)
      throw new GgufHeaderError(`the header continues past the ${this.b.length} bytes given`, true)
  }
  u8 = () => (this.need(1), this.b.readUInt8(this.pos++))
  u32 = () => (this.need(4), (this.pos += 4), this.b.readUInt32LE(this.pos - 4))
  u64 = () => (this.need(8), (this.pos += 8), this.b.readBigUInt64LE(this.pos - 8))
  /** A count or length: at most what the remaining bytes could hold, one byte each. */
  count = () => {
    const n = Number(this.u64())
    this.need(n)
    return n
  }
  str = () => {
    const n = this.count()
    const s = this.b.toString('utf8', this.pos, this.pos + n)
    this.pos += n
    return s
  }
  scalar(t: ValueType): string | number | bigint | boolean {
    const b = this.b
    const fixed = (n: number) => (this.need(n), (this.pos += n), this.pos - n)
    switch (t) {
      case ValueType.UINT8:
        return this.u8()
      case ValueType.INT8:
        return b.readInt8(fixed(1))
      case ValueType.UINT16:
        return b.readUInt16LE(fixed(2))
      case ValueType.INT16:
        return b.readInt16LE(fixed(2))
      case ValueType.UINT32:
        return this.u32()
      case ValueType.INT32:
        return b.readInt32LE(fixed(4))
      case ValueType.FLOAT32:
        return b.readFloatLE(fixed(4))
      case ValueType.BOOL:
        return this.u8() !== 0
      case ValueType.STRING:
        return this.str()
      case ValueType.UINT64:
        return this.u64()
      case ValueType.INT64:
        return b.readBigInt64LE(fixed(8))
      case ValueType.FLOAT64:
        return b.readDoubleLE(fixed(8))
      default:
        throw new GgufHeaderError(`unknown value type ${t} at byte ${this.pos}`)
    }
  }
}

/**
 * Reads a GGUF header from the file's first bytes, which may be only a prefix (headerBytes: where
 * the tensor descriptions end). Safe on untrusted bytes: every count is bounded by what is left.
 */
export function parseGgufHeader(bytes: Uint8Array): GgufFile & { headerBytes: number } {
  const r = new Reader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  if (bytes.byteLength < 4 || r.u32() !== MAGIC)
    throw new GgufHeaderError('not a GGUF file (it must start with “GGUF”)')
  const version = r.u32()
  if (version < 2 || version > 3) throw new GgufHeaderError(`GGUF version ${version} is not supported (2 or 3)`)
  const tensorCount = Number(r.u64())
  const kvCount = Number(r.u64())
  if (tensorCount > MAX_TENSORS || kvCount > MAX_KEYS)
    throw new GgufHeaderError(`${tensorCount} tensors and ${kvCount} keys: more than any model has`)
  const metadata = new Map<string, GgufValue>()
  for (let i = 0; i < kvCount; i++) {
    const key = r.str()
    const type = r.u32() as ValueType
    if (type === ValueType.ARRAY) {
      const itemType = r.u32() as ValueType
      if (itemType === ValueType.ARRAY) throw new GgufHeaderError(`${key}: nested arrays are not supported`)
      const n = r.count()
      const value = new Array(n)
      for (let j = 0; j < n; j++) value[j] = r.scalar(itemType)
      metadata.set(key, { type, itemType, value })
    } else metadata.set(key, { type, value: r.scalar(type) } as GgufValue)
  }
  const tensors: TensorInfo[] = []
  for (let i = 0; i < tensorCount; i++) {
    const name = r.str()
    const nd = r.u32()
    if (nd < 1 || nd > 4) throw new GgufHeaderError(`tensor ${name}: ${nd} dimensions (ggml has 1 to 4)`)
    const dims = Array.from({ length: nd }, () => Number(r.u64()))
    tensors.push({ name, dims, type: r.u32() as TensorType, offset: r.u64() })
  }
  const alignment = Number((metadata.get('general.alignment')?.value as number | undefined) ?? 32)
  if (!Number.isInteger(alignment) || alignment < 1 || alignment > 2 ** 20)
    throw new GgufHeaderError(`general.alignment ${alignment} is not a sensible alignment`)
  const dataOffset = Math.ceil(r.pos / alignment) * alignment
  return { version, metadata, tensors, alignment, dataOffset, headerBytes: r.pos }
}

/**
 * The SHA-256 of a GGUF header: the file's bytes up to the end of the tensor descriptions. The one
 * definition both sides use: the platform on the header a partner attached, the runner on its file.
 */
export const ggufHeaderDigest = (bytes: Uint8Array, headerBytes: number): string =>
  createHash('sha256').update(bytes.subarray(0, headerBytes)).digest('hex')

export async function readGguf(path: string): Promise<GgufFile & { buffer: Buffer }> {
  const buffer = await readFile(path)
  try {
    return { ...parseGgufHeader(buffer), buffer }
  } catch (e) {
    throw e instanceof GgufHeaderError ? new Error(`${path}: ${e.message}`) : e
  }
}

export interface TensorToWrite {
  name: string
  dims: number[]
  type: TensorType
  /** Produces the tensor's bytes; called once, in order, while writing. */
  data: () => Buffer
}

const ALIGN = 32

function encodeValue(v: GgufValue): Buffer[] {
  const out: Buffer[] = []
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n)
    return b
  }
  const u64 = (n: number | bigint) => {
    const b = Buffer.alloc(8)
    b.writeBigUInt64LE(BigInt(n))
    return b
  }
  const str = (s: string) => {
    const bytes = Buffer.from(s, 'utf8')
    return [u64(bytes.length), bytes]
  }
  const scalar = (t: ValueType, x: string | number | bigint | boolean): Buffer[] => {
    switch (t) {
      case ValueType.STRING:
        return str(x as string)
      case ValueType.UINT32:
        return [u32(x as number)]
      case ValueType.INT32: {
        const b = Buffer.alloc(4)
        b.writeInt32LE(x as number)
        return [b]
      }
      case ValueType.FLOAT32: {
        const b = Buffer.alloc(4)
        b.writeFloatLE(x as number)
        return [b]
      }
      case ValueType.BOOL:
        return [Buffer.from([x ? 1 : 0])]
      case ValueType.UINT64:
        return [u64(x as bigint)]
      case ValueType.UINT8:
        return [Buffer.from([x as number])]
      default:
        throw new Error(`GGUF writer: value type ${t} not supported`)
    }
  }
  out.push(u32(v.type))
  if (v.type === ValueType.ARRAY) {
    out.push(u32(v.itemType), u64(v.value.length))
    for (const x of v.value) out.push(...scalar(v.itemType, x))
  } else out.push(...scalar(v.type, v.value))
  return out
}

/** Writes a GGUF v3 file, streaming tensor data so a 7B-shaped model never sits in memory. */
export async function writeGguf(
  path: string,
  metadata: [string, GgufValue][],
  tensors: TensorToWrite[],
): Promise<void> {
  const header: Buffer[] = []
  const u32 = (n: number) => {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(n)
    return b
  }
  const u64 = (n: number | bigint) => {
    const b = Buffer.alloc(8)
    b.writeBigUInt64LE(BigInt(n))
    return b
  }
  const str = (s: string) => {
    const bytes = Buffer.from(s, 'utf8')
    return Buffer.concat([u64(bytes.length), bytes])
  }
  header.push(u32(MAGIC), u32(3), u64(tensors.length), u64(metadata.length))
  for (const [k, v] of metadata) header.push(str(k), ...encodeValue(v))
  let offset = 0n
  const sizes = tensors.map((t) => tensorBytes(t.type, t.dims))
  tensors.forEach((t, i) => {
    header.push(str(t.name), u32(t.dims.length), ...t.dims.map((d) => u64(d)), u32(t.type), u64(offset))
    offset += BigInt(Math.ceil(sizes[i]! / ALIGN) * ALIGN)
  })
  const head = Buffer.concat(header)
  const out = createWriteStream(path)
  const write = async (b: Buffer) => {
    if (!out.write(b)) await once(out, 'drain')
  }
  await write(head)
  await write(Buffer.alloc(Math.ceil(head.length / ALIGN) * ALIGN - head.length))
  for (const [i, t] of tensors.entries()) {
    const data = t.data()
    if (data.length !== sizes[i]) throw new Error(`tensor ${t.name}: ${data.length} bytes, expected ${sizes[i]}`)
    await write(data)
    await write(Buffer.alloc(Math.ceil(data.length / ALIGN) * ALIGN - data.length))
  }
  out.end()
  await once(out, 'finish')
}

/** Bytes a tensor of this type and shape occupies (ggml's block sizes); throws on a shape ggml refuses. */
export function tensorBytes(type: TensorType, dims: number[]): number {
  const bytes = ggmlTensorBytes(type, dims)
  if (typeof bytes === 'string') throw new Error(bytes)
  return bytes
}
