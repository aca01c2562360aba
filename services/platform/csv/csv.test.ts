import { describe, expect, it } from 'vitest'
import { csvCell, toCsv } from './csv.ts'

describe('the CSV writer every export uses', () => {
  it('defuses spreadsheet formulas but leaves numbers alone', () => {
    expect(csvCell('=HYPERLINK("http://evil.example")')).toBe('"\'=HYPERLINK(""http://evil.example"")"')
    expect(csvCell('+1-555')).toBe("'+1-555")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\tcmd')).toBe("'\tcmd")
    expect(csvCell('-1234')).toBe('-1234')
    expect(csvCell(-5n)).toBe('-5')
    expect(csvCell('-12.50')).toBe('-12.50')
  })

  it('quotes commas, quotes and every kind of line break, so a row stays one row', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('line\rbreak')).toBe('"line\rbreak"')
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"')
    expect(
      toCsv([
        ['a', 'b'],
        ['c\rd', 'e'],
      ])
        .split('\n')
        .filter(Boolean),
    ).toHaveLength(2)
  })
})
