import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { chunksOf, readCsv } from './parse-csv.ts'

const all = async (text: string | Uint8Array, size?: number) => {
  const out: { line: number; fields: string[] }[] = []
  for await (const r of readCsv(chunksOf(text, size))) out.push(r)
  return out
}

describe('reading CSV', () => {
  it('handles quotes, doubled quotes, CRLF, a BOM and quoted newlines with the right line numbers', async () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""",3\r\n"multi\nline",z,\n\nlast,1,2'
    expect(await all(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x, y', 'say "hi"', '3'] },
      { line: 3, fields: ['multi\nline', 'z', ''] },
      { line: 6, fields: ['last', '1', '2'] },
    ])
  })

  it('reads the same records whatever the chunk size', async () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', 'é', ' ') })
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(field, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 7 }),
        async (rows, size) => {
          const quote = (f: string) => `"${f.replaceAll('"', '""')}"`
          const text = rows.map((r) => r.map(quote).join(',')).join('\n')
          const records = await all(text, size)
          expect(records.map((r) => r.fields)).toEqual(
            rows.filter((r) => !(r.length === 1 && r[0] === '')).map((r) => r),
          )
        },
      ),
      { numRuns: 200 },
    )
  })

  it('refuses a file that is not UTF-8, naming the line', async () => {
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode('a,b\nM\u00fcnchen,1\n'.slice(0, 5)),
      0x4d,
      0xfc,
      0x6e,
      0x0a,
    ])
    await expect(all(latin1)).rejects.toThrow(
      'Line 2: the file is not UTF-8: byte 0xFC (“ü” in Windows-1252) suggests Windows-1252 (Latin-1), the ' +
        'encoding Excel uses for “CSV (Comma delimited)”; save it as “CSV UTF-8” and upload it again',
    )
  })

  it('refuses an unclosed quote and a file over the size limit', async () => {
    await expect(all('a,b\n"open,1\n')).rejects.toThrow('Line 2: a quoted field is never closed')
    const big = async () => {
      for await (const _ of readCsv(chunksOf('x'.repeat(3000), 1000), { maxBytes: 2000 }));
    }
    await expect(big()).rejects.toThrow('larger than 0 MB')
  })
})
