/**
 * A streaming CSV reader (RFC 4180: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM). It
 * yields one record at a time with its line number, so a file of a million lines never sits in
 * memory, and it refuses bytes that are not UTF-8 with the line where they occur.
 */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`Line ${line}: ${message}`)
  }
}

export interface CsvRecord {
  line: number
  fields: string[]
}

const enum S {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/** Records one at a time (tests and small inputs); large files read batches with readCsvBatches. */
export interface CsvOptions {
  maxBytes?: number
  /** Yield blank lines as records with no fields (by default they are skipped). */
  keepBlankLines?: boolean
}

export async function* readCsv(chunks: AsyncIterable<Uint8Array>, opts: CsvOptions = {}): AsyncGenerator<CsvRecord> {
  for await (const batch of readCsvBatches(chunks, opts)) yield* batch
}

const BATCH = 256
const COMMA = 44
const LF = 10
const CR = 13

/**
 * The records of each chunk as one batch: one await per chunk rather than per record. Unquoted
 * fields are sliced from the chunk, not built a character at a time, so a million lines make a
 * million short strings and little garbage.
 */
export async function* readCsvBatches(
  chunks: AsyncIterable<Uint8Array>,
  opts: CsvOptions = {},
): AsyncGenerator<CsvRecord[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true })
  let bytes = 0
  let line = 1 // physical line of the next character
  let recordLine = 1
  let state = S.FieldStart
  let field = ''
  let fields: string[] = []
  let skipLf = false
  let first = true
  let out: CsvRecord[] = []

  const endField = () => {
    fields.push(field)
    field = ''
    state = S.FieldStart
  }
  const endRecord = () => {
    endField()
    if (!(fields.length === 1 && fields[0] === '')) out.push({ line: recordLine, fields })
    else if (opts.keepBlankLines) out.push({ line: recordLine, fields: [] })
    fields = []
  }
  const newlinesIn = (text: string, from: number, to: number) => {
    let n = 0
    for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) n++
    return n
  }

  for await (const chunk of chunks) {
    bytes += chunk.byteLength
    if (opts.maxBytes && bytes > opts.maxBytes)
      throw new CsvError(
        line,
        `the file is larger than ${Math.round(opts.maxBytes / 1e6)} MB; split it into several reports or use the API`,
      )
    let text: string
    try {
      text = decoder.decode(chunk, { stream: true })
    } catch {
      const at = firstInvalidUtf8(chunk)
      throw new CsvError(line + newlinesBefore(chunk, at), notUtf8(chunk, at))
    }
    if (first && text.length) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
      first = false
    }
    const len = text.length
    let i = 0
    while (i < len) {
      if (skipLf) {
        skipLf = false
        if (text.charCodeAt(i) === LF) {
          i++
          continue
        }
      }
      if (state === S.Quoted) {
        const q = text.indexOf('"', i)
        const to = q < 0 ? len : q
        line += newlinesIn(text, i, to)
        field += text.slice(i, to)
        if (q < 0) break
        state = S.QuoteInQuoted
        i = q + 1
        continue
      }
      if (state === S.QuoteInQuoted) {
        const c = text.charCodeAt(i)
        if (c === 34) {
          field += '"'
          state = S.Quoted
          i++
          continue
        }
        if (c !== COMMA && c !== LF && c !== CR)
          throw new CsvError(
            line,
            'text after a closing quote; a field with quotes must be quoted whole, like "a ""b"" c"',
          )
      } else if (state === S.FieldStart && text.charCodeAt(i) === 34) {
        state = S.Quoted
        i++
        continue
      }
      // An unquoted stretch (or the delimiter after a closing quote): up to the next comma or line end.
      let j = i
      if (state !== S.QuoteInQuoted) {
        while (j < len) {
          const c = text.charCodeAt(j)
          if (c === COMMA || c === LF || c === CR) break
          j++
        }
        if (j > i) {
          field += text.slice(i, j)
          state = S.Unquoted
        }
        if (j === len) break
      }
      const c = text.charCodeAt(j)
      i = j + 1
      if (c === COMMA) endField()
      else {
        if (c === CR) skipLf = true
        endRecord()
        line++
        recordLine = line
        // Small batches: their records die young, in the nursery, instead of crowding the old heap.
        if (out.length >= BATCH) {
          yield out
          out = []
        }
      }
    }
    if (out.length) {
      yield out
      out = []
    }
  }
  try {
    decoder.decode()
  } catch {
    throw new CsvError(line, 'the file ends in the middle of a UTF-8 character')
  }
  if (state === S.Quoted) throw new CsvError(recordLine, 'a quoted field is never closed')
  if (state !== S.FieldStart || fields.length) endRecord()
  if (out.length) yield out
}

const cp1252 = new TextDecoder('windows-1252')

/**
 * Names what the file probably is: a byte that is not UTF-8 is almost always Windows-1252 (Latin-1),
 * which Excel writes for “CSV (Comma delimited)”; showing the character makes it recognisable.
 */
function notUtf8(chunk: Uint8Array, at: number): string {
  const byte = chunk[Math.min(at, chunk.length - 1)] ?? 0
  const hex = `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`
  const ch = cp1252.decode(Uint8Array.of(byte))
  const shown = /[\p{L}\p{N}\p{S}\p{P}]/u.test(ch) ? ` (“${ch}” in Windows-1252)` : ''
  return (
    `the file is not UTF-8: byte ${hex}${shown} suggests Windows-1252 (Latin-1), the encoding Excel uses for ` +
    '“CSV (Comma delimited)”; save it as “CSV UTF-8” and upload it again'
  )
}

function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i]!
    const n = c < 0x80 ? 0 : c >> 5 === 0b110 ? 1 : c >> 4 === 0b1110 ? 2 : c >> 3 === 0b11110 ? 3 : -1
    if (n < 0) return i
    for (let k = 1; k <= n; k++)
      if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i + k >= b.length ? b.length : i
    i += n + 1
  }
  return b.length
}

function newlinesBefore(b: Uint8Array, end: number): number {
  let n = 0
  for (let i = 0; i < end; i++) if (b[i] === 0x0a) n++
  return n
}

/** For tests and small inputs. */
export async function* chunksOf(text: string | Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}
