import { describe, expect, it } from 'vitest'
import { receiptTypeOf } from './receipt-type.ts'

describe('receipt types by content', () => {
  it.each([
    ['a PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0], 'image/png'],
    ['a JPEG', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'image/jpeg'],
    ['a PDF', [...Buffer.from('%PDF-1.7\n')], 'application/pdf'],
    ['HTML named receipt.pdf', [...Buffer.from('<html><script>')], null],
    ['an executable', [0x4d, 0x5a, 0x90, 0], null],
    ['an SVG (scripts inside)', [...Buffer.from('<svg xmlns=')], null],
    ['nothing', [], null],
  ])('%s', (_, bytes, type) => {
    expect(receiptTypeOf(new Uint8Array(bytes as number[]))).toBe(type)
  })
})
