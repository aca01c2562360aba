import { readFile } from 'node:fs/promises'
import os from 'node:os'
import { getLlama, getLlamaGpuTypes } from 'node-llama-cpp'
import { sharedLlama } from './benchmark/llama.ts'

export interface HardwareFingerprint {
  cpu: { model: string; cores: number; threads: number; features: string[] }
  memoryBytes: number
  gpus: string[]
  backends: string[]
  os: { platform: string; release: string; arch: string }
  nodeLlamaCpp: string
  llamaCpp: string
}

const interesting = [
  'sse4_2',
  'avx',
  'avx2',
  'fma',
  'f16c',
  'avx512f',
  'avx512bw',
  'avx512vnni',
  'avx512_vnni',
  'avx_vnni',
  'avx512_bf16',
  'amx_tile',
  'amx_int8',
  'amx_bf16',
  'asimd',
  'asimddp',
  'sve',
  'sve2',
  'i8mm',
]

/**
 * What the machine under test is: CPU and its instruction-set features, memory, GPUs, the llama.cpp backends that load.
 */
export async function hardwareFingerprint(): Promise<HardwareFingerprint> {
  let flags: string[] = []
  let physical = 0
  try {
    const info = await readFile('/proc/cpuinfo', 'utf8')
    flags = (info.match(/^(flags|Features)\s*:\s*(.*)$/m)?.[2] ?? '').split(/\s+/)
    physical =
      new Set([...info.matchAll(/^core id\s*:\s*(\d+)$/gm)].map((m) => m[1])).size *
      Math.max(1, new Set([...info.matchAll(/^physical id\s*:\s*(\d+)$/gm)].map((m) => m[1])).size)
  } catch {
    // not Linux: features stay unknown
  }
  const cpu = os.cpus()
  const backends = ['CPU']
  const gpus: string[] = []
  for (const gpu of await getLlamaGpuTypes('supported')) {
    if (gpu === false) continue
    try {
      // Probed once and let go: a GPU backend kept for the process would hold a device context the bench's
      // own instance (sharedLlama, with its thread count) does not share.
      const llama = await getLlama({ build: 'never', gpu, logLevel: 'error' as never })
      backends.push(String(gpu))
      gpus.push(...(await llama.getGpuDeviceNames()))
      await llama.dispose()
    } catch {
      // this backend's binaries do not load here
    }
  }
  const release = (await sharedLlama(false)).llamaCppRelease.release
  const { version } = JSON.parse(
    await readFile(new URL('../node_modules/node-llama-cpp/package.json', import.meta.url), 'utf8').catch(
      () => '{"version":"3.21.1"}',
    ),
  )
  return {
    cpu: {
      model: cpu[0]?.model ?? 'unknown',
      cores: physical || cpu.length,
      threads: cpu.length,
      features: interesting.filter((f) => flags.includes(f)),
    },
    memoryBytes: os.totalmem(),
    gpus,
    backends,
    os: { platform: os.platform(), release: os.release(), arch: os.arch() },
    nodeLlamaCpp: version,
    llamaCpp: release,
  }
}
