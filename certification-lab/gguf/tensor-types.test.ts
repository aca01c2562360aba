import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ggmlTensorBytes, ggmlTypes } from './tensor-types.ts'

const bins = 'node_modules/@node-llama-cpp/linux-x64/bins/linux-x64'

describe('ggml tensor types', () => {
  it('are what node-llama-cpp’s own libggml-base says: name, block and bytes of every type', () => {
    expect(readdirSync(bins)).toContain('libggml-base.so')
    const exe = path.join(mkdtempSync(path.join(tmpdir(), 'ggml-types-')), 'types')
    execFileSync('cc', ['-O0', '-o', exe, 'native/ggml-type-sizes.c', '-ldl'])
    const printed = execFileSync(exe, [path.resolve(bins, 'libggml-base.so')], { encoding: 'utf8' })
    const ours = Object.entries(ggmlTypes).map(([id, t]) => `${id} ${t.name} ${t.block} ${t.bytes}`)
    expect(printed.trim().split('\n')).toEqual(ours)
  })

  it('sizes tensors, and says why it cannot', () => {
    expect(ggmlTensorBytes(12, [4096, 4096])).toBe((4096 * 4096 * 144) / 256) // Q4_K: 4.5 bits a weight
    expect(ggmlTensorBytes(0, [4096])).toBe(16384)
    expect(ggmlTensorBytes(4, [32])).toBe('type 4 is not a ggml tensor type')
    expect(ggmlTensorBytes(12, [100, 2])).toBe('a row of 100 is not a whole number of q4_K blocks of 256')
    expect(ggmlTensorBytes(0, [2 ** 40, 2 ** 20])).toBe('dimensions 1099511627776×1048576 overflow')
  })
})
