import { fromF16, toF16 } from './f16.ts'

// ggml's reference quantizers (ggml-quants.c: quantize_row_q8_0_ref, quantize_row_q4_0_ref), in
// blocks of 32 values, so files we write are what llama.cpp itself would have written.
export const QK = 32
const f32 = (x: number) => Math.fround(x)
/** C's roundf: halves away from zero (Math.round takes -0.5 to -0, not -1). */
const roundf = (x: number) => Math.sign(x) * Math.round(Math.abs(x))

/** Q8_0: per block an f16 scale d = max|x| / 127, then 32 int8 values round(x / d). 34 bytes. */
export function quantizeQ8_0(values: Float32Array): Buffer {
  if (values.length % QK) throw new Error('Q8_0 needs a multiple of 32 values')
  const out = Buffer.alloc((values.length / QK) * 34)
  for (let b = 0; b < values.length / QK; b++) {
    let amax = 0
    for (let j = 0; j < QK; j++) amax = Math.max(amax, Math.abs(values[b * QK + j]!))
    const d = f32(amax / 127)
    const id = d ? f32(1 / d) : 0
    out.writeUInt16LE(toF16(d), b * 34)
    for (let j = 0; j < QK; j++) out.writeInt8(roundf(f32(values[b * QK + j]! * id)), b * 34 + 2 + j)
  }
  return out
}

/** Q4_0: per block an f16 scale d = max / -8 (max: the value of largest magnitude), then 4-bit q + 8. 18 bytes. */
export function quantizeQ4_0(values: Float32Array): Buffer {
  if (values.length % QK) throw new Error('Q4_0 needs a multiple of 32 values')
  const out = Buffer.alloc((values.length / QK) * 18)
  for (let b = 0; b < values.length / QK; b++) {
    let amax = 0
    let max = 0
    for (let j = 0; j < QK; j++) {
      const v = values[b * QK + j]!
      if (Math.abs(v) > amax) {
        amax = Math.abs(v)
        max = v
      }
    }
    const d = f32(max / -8)
    const id = d ? f32(1 / d) : 0
    out.writeUInt16LE(toF16(d), b * 18)
    for (let j = 0; j < QK / 2; j++) {
      const x0 = f32(values[b * QK + j]! * id)
      const x1 = f32(values[b * QK + QK / 2 + j]! * id)
      const q0 = Math.min(15, Math.trunc(f32(x0 + 8.5)))
      const q1 = Math.min(15, Math.trunc(f32(x1 + 8.5)))
      out.writeUInt8(q0 | (q1 << 4), b * 18 + 2 + j)
    }
  }
  return out
}

export function dequantizeQ8_0(data: Buffer): Float32Array {
  const out = new Float32Array((data.length / 34) * QK)
  for (let b = 0; b < data.length / 34; b++) {
    const d = fromF16(data.readUInt16LE(b * 34))
    for (let j = 0; j < QK; j++) out[b * QK + j] = data.readInt8(b * 34 + 2 + j) * d
  }
  return out
}

export function dequantizeQ4_0(data: Buffer): Float32Array {
  const out = new Float32Array((data.length / 18) * QK)
  for (let b = 0; b < data.length / 18; b++) {
    const d = fromF16(data.readUInt16LE(b * 18))
    for (let j = 0; j < QK / 2; j++) {
      const q = data.readUInt8(b * 18 + 2 + j)
      out[b * QK + j] = ((q & 0x0f) - 8) * d
      out[b * QK + QK / 2 + j] = ((q >> 4) - 8) * d
    }
  }
  return out
}
