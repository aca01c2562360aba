/**
 * Published peak figures of the accelerators a certification may run on: memory bandwidth, dense
 * tensor throughput (the larger of FP16 and INT8, so the bound never refuses an honest quantized
 * run) and the last-level cache (a model that fits in it is not bandwidth-bound). The platform
 * divides by these, never by what a runner measured on the host (issue 10). A device that is not
 * here is not checked against host RAM: its result is refused with a request to add it, with its
 * source, in a reviewed change.
 *
 * Figures are the vendors' own datasheets (dense, without sparsity). Order matters: the first
 * entry whose pattern matches the device name wins, so specific names come before families.
 */
export interface DeviceSpec {
  name: string
  match: RegExp
  bandwidthBytesPerSecond: number
  peakOpsPerSecond: number
  cacheBytes: number
  source: string
}

const GB = 1e9
const TB = 1e12
const MiB = 2 ** 20
const nvidia = (page: string) => `https://www.nvidia.com/en-us/${page}`
const apple = (page: string) => `https://www.apple.com/newsroom/${page}`

export const deviceCatalogue: DeviceSpec[] = [
  // NVIDIA data centre (INT8 tensor, dense)
  {
    name: 'NVIDIA H200',
    match: /H200/i,
    bandwidthBytesPerSecond: 4.8 * TB,
    peakOpsPerSecond: 1979 * TB,
    cacheBytes: 50 * MiB,
    source: nvidia('data-center/h200/'),
  },
  {
    name: 'NVIDIA H100 PCIe',
    match: /H100.*PCIe/i,
    bandwidthBytesPerSecond: 2.0 * TB,
    peakOpsPerSecond: 1513 * TB,
    cacheBytes: 50 * MiB,
    source: nvidia('data-center/h100/'),
  },
  {
    name: 'NVIDIA H100 NVL',
    match: /H100.*NVL/i,
    bandwidthBytesPerSecond: 3.9 * TB,
    peakOpsPerSecond: 1671 * TB,
    cacheBytes: 50 * MiB,
    source: nvidia('data-center/h100/'),
  },
  {
    name: 'NVIDIA H100 SXM',
    match: /H100/i,
    bandwidthBytesPerSecond: 3.35 * TB,
    peakOpsPerSecond: 1979 * TB,
    cacheBytes: 50 * MiB,
    source: nvidia('data-center/h100/'),
  },
  {
    name: 'NVIDIA A100 80GB',
    match: /A100.*80\s?GB/i,
    bandwidthBytesPerSecond: 2.039 * TB,
    peakOpsPerSecond: 624 * TB,
    cacheBytes: 40 * MiB,
    source: nvidia('data-center/a100/'),
  },
  {
    name: 'NVIDIA A100 40GB',
    match: /A100/i,
    bandwidthBytesPerSecond: 1.555 * TB,
    peakOpsPerSecond: 624 * TB,
    cacheBytes: 40 * MiB,
    source: nvidia('data-center/a100/'),
  },
  {
    name: 'NVIDIA L40S',
    match: /L40S/i,
    bandwidthBytesPerSecond: 864 * GB,
    peakOpsPerSecond: 733 * TB,
    cacheBytes: 96 * MiB,
    source: nvidia('data-center/l40s/'),
  },
  {
    name: 'NVIDIA L4',
    match: /\bL4\b/i,
    bandwidthBytesPerSecond: 300 * GB,
    peakOpsPerSecond: 242.5 * TB,
    cacheBytes: 48 * MiB,
    source: nvidia('data-center/l4/'),
  },
  {
    name: 'NVIDIA A10',
    match: /\bA10\b/i,
    bandwidthBytesPerSecond: 600 * GB,
    peakOpsPerSecond: 250 * TB,
    cacheBytes: 6 * MiB,
    source: nvidia('data-center/products/a10-gpu/'),
  },
  {
    name: 'NVIDIA T4',
    match: /\bT4\b/i,
    bandwidthBytesPerSecond: 320 * GB,
    peakOpsPerSecond: 130 * TB,
    cacheBytes: 4 * MiB,
    source: nvidia('data-center/tesla-t4/'),
  },
  {
    name: 'NVIDIA Jetson AGX Orin',
    match: /Orin/i,
    bandwidthBytesPerSecond: 204.8 * GB,
    peakOpsPerSecond: 275 * TB,
    cacheBytes: 4 * MiB,
    source: nvidia('autonomous-machines/embedded-systems/jetson-orin/'),
  },
  // NVIDIA GeForce and workstation (INT8 tensor, dense)
  {
    name: 'NVIDIA GeForce RTX 5090',
    match: /RTX 5090/i,
    bandwidthBytesPerSecond: 1792 * GB,
    peakOpsPerSecond: 838 * TB,
    cacheBytes: 96 * MiB,
    source: nvidia('geforce/graphics-cards/50-series/rtx-5090/'),
  },
  {
    name: 'NVIDIA RTX 6000 Ada',
    match: /RTX 6000 Ada/i,
    bandwidthBytesPerSecond: 960 * GB,
    peakOpsPerSecond: 728.5 * TB,
    cacheBytes: 96 * MiB,
    source: nvidia('design-visualization/rtx-6000/'),
  },
  {
    name: 'NVIDIA GeForce RTX 4090',
    match: /RTX 4090/i,
    bandwidthBytesPerSecond: 1008 * GB,
    peakOpsPerSecond: 660.6 * TB,
    cacheBytes: 72 * MiB,
    source: nvidia('geforce/graphics-cards/40-series/rtx-4090/'),
  },
  {
    name: 'NVIDIA GeForce RTX 4080',
    match: /RTX 4080/i,
    bandwidthBytesPerSecond: 736 * GB,
    peakOpsPerSecond: 418 * TB,
    cacheBytes: 64 * MiB,
    source: nvidia('geforce/graphics-cards/40-series/rtx-4080-family/'),
  },
  {
    name: 'NVIDIA GeForce RTX 3090',
    match: /RTX 3090/i,
    bandwidthBytesPerSecond: 1008 * GB,
    peakOpsPerSecond: 320 * TB,
    cacheBytes: 6 * MiB,
    source: nvidia('geforce/graphics-cards/30-series/rtx-3090-3090ti/'),
  },
  // AMD (INT8 dense)
  {
    name: 'AMD Instinct MI300X',
    match: /MI300X/i,
    bandwidthBytesPerSecond: 5.3 * TB,
    peakOpsPerSecond: 2614.9 * TB,
    cacheBytes: 256 * MiB,
    source: 'https://www.amd.com/en/products/accelerators/instinct/mi300/mi300x.html',
  },
  {
    name: 'AMD Radeon RX 7900 XTX',
    match: /7900 XTX/i,
    bandwidthBytesPerSecond: 960 * GB,
    peakOpsPerSecond: 122.8 * TB,
    cacheBytes: 96 * MiB,
    source: 'https://www.amd.com/en/products/graphics/desktops/radeon/7000-series/amd-radeon-rx-7900xtx.html',
  },
  // Apple silicon: unified memory, GPU FP32 (FP16 runs at the same rate). The system-level cache is
  // taken at the largest of the family so the bound never applies to a model that might fit in it.
  ...appleSoCs(),
]

function appleSoCs(): DeviceSpec[] {
  const soc = (name: string, gbps: number, tflops: number, page: string): DeviceSpec => ({
    name: `Apple ${name}`,
    match: new RegExp(`Apple ${name}(?! (Pro|Max|Ultra))`, 'i'),
    bandwidthBytesPerSecond: gbps * GB,
    peakOpsPerSecond: tflops * TB,
    cacheBytes: 96 * MiB,
    source: apple(page),
  })
  return [
    soc('M4 Max', 546, 18.4, '2024/10/apple-introduces-m4-pro-and-m4-max/'),
    soc('M4 Pro', 273, 9.2, '2024/10/apple-introduces-m4-pro-and-m4-max/'),
    soc('M4', 120, 4.6, '2024/05/apple-introduces-m4-chip/'),
    soc('M3 Ultra', 819, 28.4, '2025/03/apple-reveals-m3-ultra-taking-apple-silicon-to-a-new-extreme/'),
    soc(
      'M3 Max',
      400,
      16.4,
      '2023/10/apple-unveils-m3-m3-pro-and-m3-max-the-most-advanced-chips-for-a-personal-computer/',
    ),
    soc(
      'M3 Pro',
      150,
      7.4,
      '2023/10/apple-unveils-m3-m3-pro-and-m3-max-the-most-advanced-chips-for-a-personal-computer/',
    ),
    soc('M3', 100, 4.1, '2023/10/apple-unveils-m3-m3-pro-and-m3-max-the-most-advanced-chips-for-a-personal-computer/'),
    soc('M2 Ultra', 800, 27.2, '2023/06/apple-introduces-m2-ultra/'),
    soc('M2 Max', 400, 13.6, '2023/01/apple-unveils-m2-pro-and-m2-max-next-generation-chips-for-next-level-workflows/'),
    soc('M2 Pro', 200, 6.8, '2023/01/apple-unveils-m2-pro-and-m2-max-next-generation-chips-for-next-level-workflows/'),
    soc('M2', 100, 3.6, '2022/06/apple-unveils-m2-with-breakthrough-performance-and-capabilities/'),
    soc('M1 Ultra', 800, 21, '2022/03/apple-unveils-m1-ultra-the-worlds-most-powerful-chip-for-a-personal-computer/'),
    soc('M1 Max', 400, 10.4, '2021/10/introducing-m1-pro-and-m1-max-the-most-powerful-chips-apple-has-ever-built/'),
    soc('M1 Pro', 200, 5.2, '2021/10/introducing-m1-pro-and-m1-max-the-most-powerful-chips-apple-has-ever-built/'),
    soc('M1', 68.25, 2.6, '2020/11/apple-unleashes-m1/'),
  ]
}

/** The catalogue's entry for a device name (as llama.cpp reports it), or undefined. */
export const catalogued = (deviceName: string): DeviceSpec | undefined =>
  deviceCatalogue.find((d) => d.match.test(deviceName))
