/**
 * Every ggml tensor type a GGUF file may hold: its name, values per block and bytes per block, as
 * ggml_type_name, ggml_blck_size and ggml_type_size of node-llama-cpp 3.21.1's libggml-base answer
 * (native/ggml-type-sizes.c prints them; tensor-types.test.ts compares). Ids 4, 5 and 31–33, 36–38
 * were removed from ggml and are refused.
 */
export const ggmlTypes: Readonly<Record<number, { name: string; block: number; bytes: number }>> = {
  0: { name: 'f32', block: 1, bytes: 4 },
  1: { name: 'f16', block: 1, bytes: 2 },
  2: { name: 'q4_0', block: 32, bytes: 18 },
  3: { name: 'q4_1', block: 32, bytes: 20 },
  6: { name: 'q5_0', block: 32, bytes: 22 },
  7: { name: 'q5_1', block: 32, bytes: 24 },
  8: { name: 'q8_0', block: 32, bytes: 34 },
  9: { name: 'q8_1', block: 32, bytes: 36 },
  10: { name: 'q2_K', block: 256, bytes: 84 },
  11: { name: 'q3_K', block: 256, bytes: 110 },
  12: { name: 'q4_K', block: 256, bytes: 144 },
  13: { name: 'q5_K', block: 256, bytes: 176 },
  14: { name: 'q6_K', block: 256, bytes: 210 },
  15: { name: 'q8_K', block: 256, bytes: 292 },
  16: { name: 'iq2_xxs', block: 256, bytes: 66 },
  17: { name: 'iq2_xs', block: 256, bytes: 74 },
  18: { name: 'iq3_xxs', block: 256, bytes: 98 },
  19: { name: 'iq1_s', block: 256, bytes: 50 },
  20: { name: 'iq4_nl', block: 32, bytes: 18 },
  21: { name: 'iq3_s', block: 256, bytes: 110 },
  22: { name: 'iq2_s', block: 256, bytes: 82 },
  23: { name: 'iq4_xs', block: 256, bytes: 136 },
  24: { name: 'i8', block: 1, bytes: 1 },
  25: { name: 'i16', block: 1, bytes: 2 },
  26: { name: 'i32', block: 1, bytes: 4 },
  27: { name: 'i64', block: 1, bytes: 8 },
  28: { name: 'f64', block: 1, bytes: 8 },
  29: { name: 'iq1_m', block: 256, bytes: 56 },
  30: { name: 'bf16', block: 1, bytes: 2 },
  34: { name: 'tq1_0', block: 256, bytes: 54 },
  35: { name: 'tq2_0', block: 256, bytes: 66 },
  39: { name: 'mxfp4', block: 32, bytes: 17 },
  40: { name: 'nvfp4', block: 64, bytes: 36 },
  41: { name: 'q1_0', block: 128, bytes: 18 },
  42: { name: 'q2_0', block: 64, bytes: 18 },
}

/**
 * Bytes of a tensor of this type and shape (ggml order, dims[0] innermost), or why it cannot be:
 * an unknown type, or a row that is not a whole number of blocks.
 */
export function ggmlTensorBytes(type: number, dims: number[]): number | string {
  const t = ggmlTypes[type]
  if (!t) return `type ${type} is not a ggml tensor type`
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 0)) return `dimensions ${dims.join('×')} are not sizes`
  if (dims[0]! % t.block) return `a row of ${dims[0]} is not a whole number of ${t.name} blocks of ${t.block}`
  const n = dims.reduce((a, b) => a * b, 1)
  if (!Number.isSafeInteger(n)) return `dimensions ${dims.join('×')} overflow`
  return (n / t.block) * t.bytes
}
