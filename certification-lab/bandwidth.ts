import { readFile } from 'node:fs/promises'
import os from 'node:os'
import { Worker } from 'node:worker_threads'

/**
 * Memory bandwidth on the machine under test, for the roofline: generating a token reads every
 * weight once, so tokens/s cannot exceed bandwidth / model bytes. Every core copies buffers much
 * larger than the caches at once; bandwidth counts the bytes read and written.
 */
export interface Bandwidth {
  bytesPerSecond: number
  threads: number
  bufferBytes: number
  lastLevelCacheBytes: number
  method: string
}

const worker = `
const { parentPort, workerData } = require('node:worker_threads')
const a = Buffer.alloc(workerData.bytes, 1), b = Buffer.alloc(workerData.bytes)
a.copy(b) // touch both
const deadline = process.hrtime.bigint() + BigInt(workerData.ms) * 1000000n
let copies = 0
const start = process.hrtime.bigint()
while (process.hrtime.bigint() < deadline) { a.copy(b); copies++ }
parentPort.postMessage({ bytes: copies * workerData.bytes * 2, ns: Number(process.hrtime.bigint() - start) })
`

export async function lastLevelCacheBytes(): Promise<number> {
  try {
    const text = (await readFile('/sys/devices/system/cpu/cpu0/cache/index3/size', 'utf8')).trim()
    const n = Number.parseInt(text, 10)
    return text.endsWith('M') ? n * 1024 * 1024 : text.endsWith('K') ? n * 1024 : n
  } catch {
    return 32 * 1024 * 1024
  }
}

export async function measureBandwidth(opts: { threads?: number; ms?: number } = {}): Promise<Bandwidth> {
  const threads = opts.threads ?? os.availableParallelism()
  const llc = await lastLevelCacheBytes()
  const bytes = Math.max(64 * 1024 * 1024, llc * 2)
  const results = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<{ bytes: number; ns: number }>((resolve, reject) => {
          const w = new Worker(worker, { eval: true, workerData: { bytes, ms: opts.ms ?? 600 } })
          w.once('message', resolve)
          w.once('error', reject)
        }),
    ),
  )
  const bytesPerSecond = results.reduce((s, r) => s + r.bytes / (r.ns / 1e9), 0)
  return {
    bytesPerSecond,
    threads,
    bufferBytes: bytes,
    lastLevelCacheBytes: llc,
    method: `${threads} threads copying ${Math.round(bytes / 2 ** 20)} MiB buffers; read + write bytes`,
  }
}
