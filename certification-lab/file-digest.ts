import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { ggufHeaderDigest, GgufHeaderError, parseGgufHeader } from './gguf/gguf.ts'

/** A file's SHA-256 and size, read as a stream: model files run to gigabytes. */
export async function fileSha256(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer)
    bytes += (chunk as Buffer).length
  }
  return { sha256: hash.digest('hex'), bytes }
}

/**
 * The SHA-256 of a GGUF file's header (its bytes up to the end of the tensor descriptions), read
 * from the file's start in growing prefixes: what a partner declares its model by at request time.
 */
export async function ggufHeaderSha256(file: string): Promise<{ sha256: string; bytes: number }> {
  const fh = await open(file)
  try {
    const size = (await fh.stat()).size
    for (let n = 2 ** 20; ; n *= 4) {
      const prefix = Buffer.alloc(Math.min(n, size))
      await fh.read(prefix, 0, prefix.length, 0)
      try {
        const { headerBytes } = parseGgufHeader(prefix)
        return { sha256: ggufHeaderDigest(prefix, headerBytes), bytes: headerBytes }
      } catch (e) {
        if (!(e instanceof GgufHeaderError && e.truncated) || prefix.length === size) throw e
      }
    }
  } finally {
    await fh.close()
  }
}
