import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { once } from 'node:events'

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
  dataOffset: number
}

const MAGIC = 0x46554747 // "GGUF" little-endian

class Reader {
  pos = 0
  constructor(private readonly b: Buffer) {}
  u8 = () => this.b.readUInt8(this.pos++)
  u32 = () => ((this.pos += 4), this.b.readUInt32LE(this.pos - 4))
  u64 = () => ((this.pos += 8), this.b.readBigUInt64LE(this.pos - 8))
  str = () => {
    const n = Number(this.u64())
    const s = this.b.toString('utf8', this.pos, this.pos + n)
    this.pos += n
    return s
  }
  scalar(t: ValueType): string | number | bigint | boolean {
    const b = this.b
    switch (t) {
      case ValueType.UINT8:
        return this.u8()
      case ValueType.INT8:
        return ((this.pos += 1), b.readInt8(this.pos - 1))
      case ValueType.UINT16:
        return ((this.pos += 2), b.readUInt16LE(this.pos - 2))
      case ValueType.INT16:
        return ((this.pos += 2), b.readInt16LE(this.pos - 2))
      case ValueType.UINT32:
        return this.u32()
      case ValueType.INT32:
        return ((this.pos += 4), b.readInt32LE(this.pos - 4))
      case ValueType.FLOAT32:
        return ((this.pos += 4), b.readFloatLE(this.pos - 4))
      case ValueType.BOOL:
        return this.u8() !== 0
      case ValueType.STRING:
        return this.str()
      case ValueType.UINT64:
        return this.u64()
      case ValueType.INT64:
        return ((this.pos += 8), b.readBigInt64LE(this.pos - 8))
      case ValueType.FLOAT64:
        return ((this.pos += 8), b.readDoubleLE(this.pos - 8))
      default:
        throw new Error(`GGUF: unknown value type ${t}`)
    }
  }
}

export async function readGguf(path: string): Promise<GgufFile & { buffer: Buffer }> {
  const buffer = await readFile(path)
  const r = new Reader(buffer)
  if (r.u32() !== MAGIC) throw new Error(`${path} is not a GGUF file`)
  const version = r.u32()
  if (version < 2) throw new Error(`GGUF version ${version} is not supported`)
  const tensorCount = Number(r.u64())
  const kvCount = Number(r.u64())
  const metadata = new Map<string, GgufValue>()
  for (let i = 0; i < kvCount; i++) {
    const key = r.str()
    const type = r.u32() as ValueType
    if (type === ValueType.ARRAY) {
      const itemType = r.u32() as ValueType
      const n = Number(r.u64())
      const value = new Array(n)
      for (let j = 0; j < n; j++) value[j] = r.scalar(itemType)
      metadata.set(key, { type, itemType, value })
    } else metadata.set(key, { type, value: r.scalar(type) } as GgufValue)
  }
  const tensors: TensorInfo[] = []
  for (let i = 0; i < tensorCount; i++) {
    const name = r.str()
    const nd = r.u32()
    const dims = Array.from({ length: nd }, () => Number(r.u64()))
    tensors.push({ name, dims, type: r.u32() as TensorType, offset: r.u64() })
  }
  const alignment = Number((metadata.get('general.alignment')?.value as number | undefined) ?? 32)
  const dataOffset = Math.ceil(r.pos / alignment) * alignment
  return { version, metadata, tensors, dataOffset, buffer }
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

/** Bytes a tensor of this type and shape occupies. Q8_0 and Q4_0 pack blocks of 32 values. */
export function tensorBytes(type: TensorType, dims: number[]): number {
  const n = dims.reduce((a, b) => a * b, 1)
  switch (type) {
    case TensorType.F32:
      return n * 4
    case TensorType.F16:
      return n * 2
    case TensorType.Q8_0:
      return (n / 32) * 34
    case TensorType.Q4_0:
      return (n / 32) * 18
  }
}
