/**
 * Published figures of the CPUs a partner's runner may register, so that a fingerprint can be held
 * against what the chip it names can be: cores and hardware threads, the instruction-set features
 * the platform's bounds reward (AVX-512, AMX, SVE, I8MM), last-level cache, memory channels and
 * their transfer rate, the largest memory the platform takes. A fingerprint that names a CPU this
 * catalogue lacks, or claims more than the chip has, goes to review (plausibility.ts), never to a
 * badge.
 *
 * Conventions:
 *  - `match` runs against the model string as Linux /proc/cpuinfo "model name" (what Node's
 *    os.cpus() reports, and so what the runner registers), macOS `machdep.cpu.brand_string`, or
 *    for 64-bit Arm Linux the core name libuv derives from "CPU part" ("Neoverse-N1"; libuv 1.46
 *    knows no later Neoverse part and says "unknown"). The first match wins: specific before family.
 *  - Cores, threads, cache, channels and memory are per socket; `maxSockets` is the most sockets
 *    one system of the family holds. A VM sees fewer cores than the chip has, which is fine.
 *  - `isa` lists the flags, spelled as Linux cpuinfo spells them, of the fingerprint's vocabulary
 *    (hardware-fingerprint.ts) that the family has; each family lists every one it has.
 *  - Memory channels are 64-bit channels: a 128-bit LPDDR5 bus counts as two. Peak bandwidth is
 *    channels × 8 bytes × transfers per second (DDR5-4800: 12 × 8 × 4.8e9 = 460.8 GB/s).
 *  - maxMemoryBytes is the vendor's maximum, rounded up where DIMMs decide it: four 64 GB DIMMs on
 *    a desktop socket, two 64 GB SO-DIMMs in a laptop; on-package memory is taken as published.
 *  - Family-level entries (`family: true`) stand for the generic names clouds report without a model
 *    number ("AMD EPYC", "Intel Xeon Processor (Icelake)", "Intel(R) Xeon(R) CPU @ 2.20GHz"); their
 *    figures are the family's widest (most cores, largest cache, most channels, every feature) so
 *    that an honest VM is never sent to review for what its hypervisor hides.
 */
export interface CpuSpec {
  name: string
  match: RegExp
  maxCores: number
  maxThreads: number
  maxSockets: number
  isa: readonly string[]
  lastLevelCacheBytes: number
  memoryChannels: number
  memoryTransfersPerSecond: number
  /** memoryChannels × 8 bytes × memoryTransfersPerSecond, per socket. */
  peakBandwidthBytesPerSecond: number
  maxMemoryBytes: number
  /** A generic family name with the family's widest figures. */
  family?: true
  source: string
}

const MiB = 2 ** 20
const GiB = 2 ** 30
const TiB = 2 ** 40
const MT = 1e6

// Feature groups as /proc/cpuinfo spells them; the fingerprint also lists 'avx512vnni', which no
// kernel prints, so it counts as AVX-512 VNNI.
const X86 = ['sse4_2', 'avx', 'avx2', 'fma', 'f16c']
const AVX512 = ['avx512f', 'avx512bw']
const AVX512_VNNI = ['avx512_vnni', 'avx512vnni']
const AVX512_BF16 = ['avx512_bf16']
const AVX_VNNI = ['avx_vnni']
const AMX = ['amx_tile', 'amx_int8', 'amx_bf16']
const ZEN2_3 = X86
const ZEN4 = [...X86, ...AVX512, ...AVX512_VNNI, ...AVX512_BF16]
// Zen 5 added the VEX-encoded AVX-VNNI (and VP2INTERSECT, outside the fingerprint's vocabulary).
const ZEN5 = [...ZEN4, ...AVX_VNNI]
const INTEL_CLIENT = [...X86, ...AVX_VNNI]
const SKYLAKE_SP = [...X86, ...AVX512]
const CASCADE_LAKE = [...SKYLAKE_SP, ...AVX512_VNNI]
const COOPER_LAKE = [...CASCADE_LAKE, ...AVX512_BF16]
const SAPPHIRE_RAPIDS = [...COOPER_LAKE, ...AVX_VNNI, ...AMX]
const ARMV8_2 = ['asimd', 'asimddp']
const ARMV8_6 = [...ARMV8_2, 'i8mm']
const NEOVERSE_V1 = [...ARMV8_6, 'sve']
const NEOVERSE_V2 = [...NEOVERSE_V1, 'sve2']

type Figures = Omit<CpuSpec, 'peakBandwidthBytesPerSecond'>
const cpu = (f: Figures): CpuSpec => ({
  ...f,
  peakBandwidthBytesPerSecond: f.memoryChannels * 8 * f.memoryTransfersPerSecond,
})

const amd = (page: string) => `https://www.amd.com/en/products/processors/${page}`
const intelSku = (page: string) => `https://www.intel.com/content/www/us/en/products/sku/${page}/specifications.html`
const intel = (page: string) => `https://www.intel.com/content/www/us/en/products/details/processors/${page}`
const appleNews = (page: string) => `https://www.apple.com/newsroom/${page}`

export const cpuCatalogue: CpuSpec[] = [
  // AMD EPYC: the last digit of the model number is the generation. Cloud parts carry a letter in it
  // (9R14, 9B14, 9V74, 7R13, 7B13), frequency-optimized ones an F (75F3, 9474F), single-socket ones a P.
  cpu({
    name: 'AMD EPYC 9004 Genoa-X',
    match: /\bAMD EPYC 9\w{3}X\b/i,
    maxCores: 96,
    maxThreads: 192,
    maxSockets: 2,
    isa: ZEN4,
    lastLevelCacheBytes: 1152 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 4800 * MT,
    maxMemoryBytes: 6 * TiB,
    source: amd('server/epyc/4th-generation-9004-and-8004-series/amd-epyc-9684x.html'),
  }),
  cpu({
    name: 'AMD EPYC 97x4 Bergamo',
    match: /\bAMD EPYC 97[3-5]4S?\b/i,
    maxCores: 128,
    maxThreads: 256,
    maxSockets: 2,
    isa: ZEN4,
    lastLevelCacheBytes: 256 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 4800 * MT,
    maxMemoryBytes: 6 * TiB,
    source: amd('server/epyc/4th-generation-9004-and-8004-series/amd-epyc-9754.html'),
  }),
  cpu({
    name: 'AMD EPYC 9004 Genoa',
    match: /\bAMD EPYC 9\w\w4[FP]?\b/i,
    maxCores: 96,
    maxThreads: 192,
    maxSockets: 2,
    isa: ZEN4,
    lastLevelCacheBytes: 384 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 4800 * MT,
    maxMemoryBytes: 6 * TiB,
    source: amd('server/epyc/4th-generation-9004-and-8004-series/amd-epyc-9654.html'),
  }),
  cpu({
    name: 'AMD EPYC 8004 Siena',
    match: /\bAMD EPYC 8\d\d4P?\b/i,
    maxCores: 64,
    maxThreads: 128,
    maxSockets: 1,
    isa: ZEN4,
    lastLevelCacheBytes: 128 * MiB,
    memoryChannels: 6,
    memoryTransfersPerSecond: 4800 * MT,
    maxMemoryBytes: 1.5 * TiB,
    source: amd('server/epyc/4th-generation-9004-and-8004-series/amd-epyc-8534p.html'),
  }),
  // Turin and Turin dense (Zen 5c): 192 cores on the 9965, 512 MB of L3 on the 128-core 9755.
  cpu({
    name: 'AMD EPYC 9005 Turin',
    match: /\bAMD EPYC 9\w\w5[FP]?\b/i,
    maxCores: 192,
    maxThreads: 384,
    maxSockets: 2,
    isa: ZEN5,
    lastLevelCacheBytes: 512 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 6400 * MT,
    maxMemoryBytes: 6 * TiB,
    source: amd('server/epyc/9005-series/amd-epyc-9965.html'),
  }),
  cpu({
    name: 'AMD EPYC 7003 Milan-X',
    match: /\bAMD EPYC 7\d73X\b/i,
    maxCores: 64,
    maxThreads: 128,
    maxSockets: 2,
    isa: ZEN2_3,
    lastLevelCacheBytes: 768 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 3200 * MT,
    maxMemoryBytes: 4 * TiB,
    source: amd('server/epyc/7003-series/amd-epyc-7773x.html'),
  }),
  cpu({
    name: 'AMD EPYC 7003 Milan',
    match: /\bAMD EPYC 7\w\w3P?\b/i,
    maxCores: 64,
    maxThreads: 128,
    maxSockets: 2,
    isa: ZEN2_3,
    lastLevelCacheBytes: 256 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 3200 * MT,
    maxMemoryBytes: 4 * TiB,
    source: amd('server/epyc/7003-series/amd-epyc-7763.html'),
  }),
  // Rome still serves many cloud VMs (AWS c5a, GCP N2D).
  cpu({
    name: 'AMD EPYC 7002 Rome',
    match: /\bAMD EPYC 7\w\w2P?\b/i,
    maxCores: 64,
    maxThreads: 128,
    maxSockets: 2,
    isa: ZEN2_3,
    lastLevelCacheBytes: 256 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 3200 * MT,
    maxMemoryBytes: 4 * TiB,
    source: amd('server/epyc/7002-series/amd-epyc-7742.html'),
  }),
  // What a VM says when the hypervisor hides the model: "AMD EPYC" (this platform's own CI VM, a
  // Zen 5 with AVX-VNNI), QEMU's "AMD EPYC Processor" and "AMD EPYC-Genoa Processor". Widest of the
  // family: Turin dense's 192 cores, Genoa-X's 1152 MB of L3, Turin's 12 channels of DDR5-6400.
  cpu({
    name: 'AMD EPYC (family name)',
    match: /^\s*AMD EPYC(-\w+)?( Processor)?( \([^)]*\))?\s*$/i,
    maxCores: 192,
    maxThreads: 384,
    maxSockets: 2,
    isa: ZEN5,
    lastLevelCacheBytes: 1152 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 6400 * MT,
    maxMemoryBytes: 6 * TiB,
    family: true,
    source: amd('server/epyc.html'),
  }),

  // AMD Threadripper (PRO WX: 8 channels; the non-PRO 7980X/7970X have 4 and are covered).
  cpu({
    name: 'AMD Ryzen Threadripper 9000',
    match: /\bThreadripper (PRO )?99\d5WX|\bThreadripper (PRO )?9\d{3}X\b/i,
    maxCores: 96,
    maxThreads: 192,
    maxSockets: 1,
    isa: ZEN5,
    lastLevelCacheBytes: 384 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 6400 * MT,
    maxMemoryBytes: 2 * TiB,
    source: amd('workstations/ryzen-threadripper/9000-wx-series/amd-ryzen-threadripper-pro-9995wx.html'),
  }),
  cpu({
    name: 'AMD Ryzen Threadripper 7000',
    match: /\bThreadripper (PRO )?7\d{3}WX|\bThreadripper (PRO )?7\d{3}X\b/i,
    maxCores: 96,
    maxThreads: 192,
    maxSockets: 1,
    isa: ZEN4,
    lastLevelCacheBytes: 384 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 5200 * MT,
    maxMemoryBytes: 2 * TiB,
    source: amd('workstations/ryzen-threadripper/7000-wx-series/amd-ryzen-threadripper-pro-7995wx.html'),
  }),

  // AMD Ryzen laptops. Strix Halo has a 256-bit LPDDR5X-8000 bus (four 64-bit channels, 256 GB/s).
  cpu({
    name: 'AMD Ryzen AI Max (Strix Halo)',
    match: /\bRyzen AI Max\+? (PRO )?\d{3}\b/i,
    maxCores: 16,
    maxThreads: 32,
    maxSockets: 1,
    isa: ZEN5,
    lastLevelCacheBytes: 64 * MiB,
    memoryChannels: 4,
    memoryTransfersPerSecond: 8000 * MT,
    maxMemoryBytes: 128 * GiB,
    source: amd('laptop/ryzen/ai-300-series/amd-ryzen-ai-max-plus-395.html'),
  }),
  cpu({
    name: 'AMD Ryzen AI 300 (Strix Point, Krackan Point)',
    match: /\bRyzen AI [3579] (HX |PRO )*\d{3}\b/i,
    maxCores: 12,
    maxThreads: 24,
    maxSockets: 1,
    isa: ZEN5,
    lastLevelCacheBytes: 24 * MiB,
    memoryChannels: 2,
    memoryTransfersPerSecond: 8000 * MT,
    maxMemoryBytes: 256 * GiB,
    source: amd('laptop/ryzen/ai-300-series/amd-ryzen-ai-9-hx-375.html'),
  }),
  // Phoenix and Hawk Point: the 7x40 and 8x40/8x45 laptop parts and the 8000G desktop APUs.
  cpu({
    name: 'AMD Ryzen 7040/8040 (Phoenix, Hawk Point)',
    match: /\bRyzen [3579] (PRO )?(7\d40|8\d4[05])(U|HS|H)?\b|\bRyzen [3579] (PRO )?8\d00GE?\b/i,
    maxCores: 8,
    maxThreads: 16,
    maxSockets: 1,
    isa: ZEN4,
    lastLevelCacheBytes: 16 * MiB,
    memoryChannels: 2,
    memoryTransfersPerSecond: 7500 * MT,
    maxMemoryBytes: 256 * GiB,
    source: amd('laptop/ryzen/7000-series/amd-ryzen-9-7940hs.html'),
  }),

  // AMD Ryzen desktop (and the same dies in the 7045HX/9955HX laptops).
  cpu({
    name: 'AMD Ryzen 9000 (Granite Ridge, Fire Range)',
    match: /\bRyzen [3579] (PRO )?9\d{3}(X3D|X|F|HX3D|HX)?\b/i,
    maxCores: 16,
    maxThreads: 32,
    maxSockets: 1,
    isa: ZEN5,
    lastLevelCacheBytes: 128 * MiB,
    memoryChannels: 2,
    memoryTransfersPerSecond: 5600 * MT,
    maxMemoryBytes: 256 * GiB,
    source: amd('desktops/ryzen/9000-series/amd-ryzen-9-9950x3d.html'),
  }),
  cpu({
    name: 'AMD Ryzen 7000 (Raphael, Dragon Range)',
    match: /\bRyzen [3579] (PRO )?7\d[05]0(X3D|X|F)?\b|\bRyzen [3579] 7\d45HX(3D)?\b/i,
    maxCores: 16,
    maxThreads: 32,
    maxSockets: 1,
    isa: ZEN4,
    lastLevelCacheBytes: 128 * MiB,
    memoryChannels: 2,
    memoryTransfersPerSecond: 5200 * MT,
    maxMemoryBytes: 256 * GiB,
    source: amd('desktops/ryzen/7000-series/amd-ryzen-9-7950x3d.html'),
  }),

  // Intel Xeon 6. Granite Rapids: 128 cores and 504 MB of L3 on the 6980P, 12 channels of MRDIMM-8800;
  // the 6700P scales to eight sockets.
  cpu({
    name: 'Intel Xeon 6 Granite Rapids (P-core)',
    match: /\bXeon\(R\) 6\d{3}P\b|\bXeon 6\d{3}P\b/i,
    maxCores: 128,
    maxThreads: 256,
    maxSockets: 8,
    isa: SAPPHIRE_RAPIDS,
    lastLevelCacheBytes: 504 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 8800 * MT,
    maxMemoryBytes: 4 * TiB,
    source: intelSku('240777/intel-xeon-6980p-processor-504m-cache-2-00-ghz'),
  }),
  // Sierra Forest: E-cores without Hyper-Threading or AVX-512; the 6900E has 288 of them (two 144-core
  // dies of 108 MB L3 each) on 12 channels.
  cpu({
    name: 'Intel Xeon 6 Sierra Forest (E-core)',
    match: /\bXeon\(R\) 6\d{3}E\b|\bXeon 6\d{3}E\b/i,
    maxCores: 288,
    maxThreads: 288,
    maxSockets: 2,
    isa: INTEL_CLIENT,
    lastLevelCacheBytes: 216 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 6400 * MT,
    maxMemoryBytes: 3 * TiB,
    source: intel('xeon/xeon6-e-cores.html'),
  }),
  cpu({
    name: 'Intel Xeon 5th gen Emerald Rapids',
    match: /\bXeon\(R\) (Platinum|Gold|Silver|Bronze) [3-9]5\d\d/i,
    maxCores: 64,
    maxThreads: 128,
    maxSockets: 2,
    isa: SAPPHIRE_RAPIDS,
    lastLevelCacheBytes: 320 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 5600 * MT,
    maxMemoryBytes: 4 * TiB,
    source: intelSku('237261/intel-xeon-platinum-8592-processor-320m-cache-1-90-ghz'),
  }),
  // Sapphire Rapids, its HBM variant (Xeon Max) and the workstation W-2400/3400/2500/3500.
  cpu({
    name: 'Intel Xeon 4th gen Sapphire Rapids',
    match: /\bXeon\(R\) ((Platinum|Gold|Silver|Bronze) [3-9]4\d\d|CPU Max 94\d\d|w[3579]-[23][45]\d\d)/i,
    maxCores: 60,
    maxThreads: 120,
    maxSockets: 8,
    isa: SAPPHIRE_RAPIDS,
    lastLevelCacheBytes: 112.5 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 4800 * MT,
    maxMemoryBytes: 4 * TiB,
    source: intelSku('231749/intel-xeon-platinum-8490h-processor-112-5m-cache-1-90-ghz'),
  }),
  // Cooper Lake (the H parts of the third generation) added AVX-512 BF16 to Cascade Lake.
  cpu({
    name: 'Intel Xeon 3rd gen Cooper Lake',
    match: /\bXeon\(R\) (Platinum|Gold) [3-9]3\d\dHL?\b/i,
    maxCores: 28,
    maxThreads: 56,
    maxSockets: 8,
    isa: COOPER_LAKE,
    lastLevelCacheBytes: 38.5 * MiB,
    memoryChannels: 6,
    memoryTransfersPerSecond: 3200 * MT,
    maxMemoryBytes: 4.5 * TiB,
    source: intel('xeon/scalable.html'),
  }),
  cpu({
    name: 'Intel Xeon 3rd gen Ice Lake',
    match: /\bXeon\(R\) (Platinum|Gold|Silver) [3-9]3\d\d/i,
    maxCores: 40,
    maxThreads: 80,
    maxSockets: 2,
    isa: CASCADE_LAKE,
    lastLevelCacheBytes: 60 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 3200 * MT,
    maxMemoryBytes: 6 * TiB,
    source: intel('xeon/scalable.html'),
  }),
  // Cascade Lake, including the two-die Platinum 9200 (56 cores, 12 channels).
  cpu({
    name: 'Intel Xeon 2nd gen Cascade Lake',
    match: /\bXeon\(R\) (Platinum|Gold|Silver|Bronze) [3-9]2\d\d/i,
    maxCores: 56,
    maxThreads: 112,
    maxSockets: 8,
    isa: CASCADE_LAKE,
    lastLevelCacheBytes: 77 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 2933 * MT,
    maxMemoryBytes: 4.5 * TiB,
    source: intel('xeon/scalable.html'),
  }),
  cpu({
    name: 'Intel Xeon 1st gen Skylake-SP',
    match: /\bXeon\(R\) (Platinum|Gold|Silver|Bronze) [3-9]1\d\d/i,
    maxCores: 28,
    maxThreads: 56,
    maxSockets: 8,
    isa: SKYLAKE_SP,
    lastLevelCacheBytes: 38.5 * MiB,
    memoryChannels: 6,
    memoryTransfersPerSecond: 2666 * MT,
    maxMemoryBytes: 1.5 * TiB,
    source: intel('xeon/scalable.html'),
  }),
  // What a VM says when the hypervisor hides the model: QEMU's "Intel Xeon Processor (Icelake)",
  // GCP's "Intel(R) Xeon(R) CPU @ 2.20GHz", "Intel(R) Xeon(R) Processor". Widest of the family:
  // Sierra Forest's 288 cores, Granite Rapids' 504 MB and 12 MRDIMM-8800 channels, every feature
  // including AMX, eight sockets, Ice Lake's 6 TB per socket with persistent memory.
  cpu({
    name: 'Intel Xeon (family name)',
    // Anchored to the generic strings themselves: "Intel(R) Xeon(R) CPU E5-2690 v2" (a real, older
    // part) or a made-up "Xeon Processor 9000" is not a VM's family name, and stays unknown (review).
    match: /^\s*Intel(\(R\))? Xeon(\(R\))? (CPU @ [\d.]+\s?GHz|Processor( \([\w -]*\))?)\s*$/i,
    maxCores: 288,
    maxThreads: 288,
    maxSockets: 8,
    isa: SAPPHIRE_RAPIDS,
    lastLevelCacheBytes: 504 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 8800 * MT,
    maxMemoryBytes: 6 * TiB,
    family: true,
    source: intel('xeon.html'),
  }),

  // Intel Core Ultra. Lunar Lake: 8 cores, 32 GB of LPDDR5X-8533 on the package.
  cpu({
    name: 'Intel Core Ultra 200V (Lunar Lake)',
    match: /\bCore\(TM\) Ultra [579] 2\d\dV\b/i,
    maxCores: 8,
    maxThreads: 8,
    maxSockets: 1,
    isa: INTEL_CLIENT,
    lastLevelCacheBytes: 12 * MiB,
    memoryChannels: 2,
    memoryTransfersPerSecond: 8533 * MT,
    maxMemoryBytes: 32 * GiB,
    source: intelSku('240961/intel-core-ultra-9-processor-288v-12m-cache-up-to-5-10-ghz'),
  }),
  // Arrow Lake (200S/200H/200HX): 24 cores without Hyper-Threading; the H parts take LPDDR5X-8400.
  cpu({
    name: 'Intel Core Ultra 200 (Arrow Lake)',
    match: /\bCore\(TM\) Ultra [3579] 2\d\d(K|KF|F|T|S|H|HX|U)?\b/i,
    maxCores: 24,
    maxThreads: 24,
    maxSockets: 1,
    isa: INTEL_CLIENT,
    lastLevelCacheBytes: 36 * MiB,
    memoryChannels: 2,
    memoryTransfersPerSecond: 8400 * MT,
    maxMemoryBytes: 256 * GiB,
    source: intelSku('241060/intel-core-ultra-9-processor-285k-36m-cache-up-to-5-70-ghz'),
  }),
  cpu({
    name: 'Intel Core Ultra Series 1 (Meteor Lake)',
    match: /\bCore\(TM\) Ultra [3579] 1\d\d[A-Z]*\b/i,
    maxCores: 16,
    maxThreads: 22,
    maxSockets: 1,
    isa: INTEL_CLIENT,
    lastLevelCacheBytes: 24 * MiB,
    memoryChannels: 2,
    memoryTransfersPerSecond: 7467 * MT,
    maxMemoryBytes: 128 * GiB,
    source: intelSku('236776/intel-core-ultra-7-processor-165h-24m-cache-up-to-5-00-ghz'),
  }),
  // Raptor Lake (13th and 14th gen, and the Core 5/7 100U/200H refreshes): 8 P + 16 E cores.
  cpu({
    name: 'Intel Core 13th/14th gen (Raptor Lake)',
    match: /\bCore\(TM\) i[3579]-1[34]\d{2,3}|\bCore\(TM\) [3579] [12]\d\d[A-Z]+\b/i,
    maxCores: 24,
    maxThreads: 32,
    maxSockets: 1,
    isa: INTEL_CLIENT,
    lastLevelCacheBytes: 36 * MiB,
    memoryChannels: 2,
    memoryTransfersPerSecond: 5600 * MT,
    maxMemoryBytes: 256 * GiB,
    source: intelSku('236773/intel-core-i9-14900k-processor-36m-cache-up-to-6-00-ghz'),
  }),
  // Alder Lake: early firmware could expose the P-cores' AVX-512 with the E-cores off, so an honest
  // 12th-gen fingerprint may carry it.
  cpu({
    name: 'Intel Core 12th gen (Alder Lake)',
    match: /\bCore\(TM\) i[3579]-12\d{2,3}/i,
    maxCores: 16,
    maxThreads: 24,
    maxSockets: 1,
    isa: [...INTEL_CLIENT, ...AVX512, ...AVX512_VNNI, ...AVX512_BF16],
    lastLevelCacheBytes: 30 * MiB,
    memoryChannels: 2,
    memoryTransfersPerSecond: 4800 * MT,
    maxMemoryBytes: 256 * GiB,
    source: intelSku('134599/intel-core-i9-12900k-processor-30m-cache-up-to-5-20-ghz'),
  }),
  // Alder Lake-N (N100, N200, i3-N305): E-cores only, one DDR5-4800 channel; 16 GB officially, one
  // 48 GB SO-DIMM in practice.
  cpu({
    name: 'Intel Processor N / Core i3-N (Alder Lake-N)',
    match: /\bIntel\(R\) N\d{2,3}\b|\bCore\(TM\) i3-N3\d\d\b/i,
    maxCores: 8,
    maxThreads: 8,
    maxSockets: 1,
    isa: INTEL_CLIENT,
    lastLevelCacheBytes: 6 * MiB,
    memoryChannels: 1,
    memoryTransfersPerSecond: 4800 * MT,
    maxMemoryBytes: 64 * GiB,
    source: intel('intel-processor/products.html'),
  }),

  // Apple silicon (macOS brand string "Apple M2 Pro"). No SMT; memory on the package. Apple
  // publishes no system-level cache size: 96 MiB is the device catalogue's figure for the family.
  // The bus in 64-bit channels reproduces Apple's published bandwidth (M1 Max: 8 × 8 × 6400 MT/s =
  // 409.6 GB/s, "400 GB/s").
  ...appleSoCs(),

  // Arm servers. libuv names Neoverse-N1 (Graviton2, Altra) from "CPU part"; the chips' own names
  // are what the BIOS (lscpu "BIOS Model name", dmidecode) reports.
  cpu({
    name: 'AWS Graviton4',
    match: /\bGraviton4\b/i,
    maxCores: 96,
    maxThreads: 96,
    maxSockets: 2,
    isa: NEOVERSE_V2,
    lastLevelCacheBytes: 36 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 5600 * MT,
    maxMemoryBytes: 1.5 * TiB,
    source: 'https://aws.amazon.com/ec2/graviton/',
  }),
  cpu({
    name: 'AWS Graviton3',
    match: /\bGraviton3E?\b/i,
    maxCores: 64,
    maxThreads: 64,
    maxSockets: 1,
    isa: NEOVERSE_V1,
    lastLevelCacheBytes: 32 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 4800 * MT,
    maxMemoryBytes: 1 * TiB,
    source: 'https://aws.amazon.com/ec2/graviton/',
  }),
  cpu({
    name: 'AWS Graviton2',
    match: /\bGraviton2\b/i,
    maxCores: 64,
    maxThreads: 64,
    maxSockets: 1,
    isa: ARMV8_2,
    lastLevelCacheBytes: 32 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 3200 * MT,
    maxMemoryBytes: 1 * TiB,
    source: 'https://aws.amazon.com/ec2/graviton/',
  }),
  // AmpereOne: Armv8.6+ (I8MM, no SVE), 64 MB system-level cache; AmpereOne M has 12 channels.
  cpu({
    name: 'AmpereOne',
    match: /\bAmpereOne\b|\bAmpere-1[AB]?\b/i,
    maxCores: 192,
    maxThreads: 192,
    maxSockets: 2,
    isa: ARMV8_6,
    lastLevelCacheBytes: 64 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 5600 * MT,
    maxMemoryBytes: 4 * TiB,
    source: 'https://amperecomputing.com/products/processors',
  }),
  cpu({
    name: 'Ampere Altra / Altra Max',
    match: /\bAmpere(\(R\))? Altra/i,
    maxCores: 128,
    maxThreads: 128,
    maxSockets: 2,
    isa: ARMV8_2,
    lastLevelCacheBytes: 32 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 3200 * MT,
    maxMemoryBytes: 4 * TiB,
    source: 'https://amperecomputing.com/briefs/ampere-altra-family-product-brief',
  }),
  // Grace: 72 Neoverse V2 cores, 117 MB L3, up to 480 GB of LPDDR5X at ~500 GB/s (taken as eight
  // 64-bit channels of 8533 MT/s, 546 GB/s); two to a Grace CPU Superchip.
  cpu({
    name: 'NVIDIA Grace',
    match: /\bNVIDIA Grace\b|^\s*Grace\b/i,
    maxCores: 72,
    maxThreads: 72,
    maxSockets: 2,
    isa: NEOVERSE_V2,
    lastLevelCacheBytes: 117 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 8533 * MT,
    maxMemoryBytes: 480 * GiB,
    source: 'https://www.nvidia.com/en-us/data-center/grace-cpu/',
  }),
  // Core names, for a VM or runner that reports no more (libuv's "Neoverse-N1", lscpu's
  // "Neoverse-V1"/"Neoverse-V2"): the widest chip built on each.
  cpu({
    name: 'Arm Neoverse V2 (Graviton4, Grace, Axion)',
    match: /^\s*Neoverse-V2\b/i,
    maxCores: 96,
    maxThreads: 96,
    maxSockets: 2,
    isa: NEOVERSE_V2,
    lastLevelCacheBytes: 117 * MiB,
    memoryChannels: 12,
    memoryTransfersPerSecond: 8533 * MT,
    maxMemoryBytes: 1.5 * TiB,
    family: true,
    source: 'https://www.arm.com/products/silicon-ip-cpu/neoverse/neoverse-v2',
  }),
  cpu({
    name: 'Arm Neoverse V1 (Graviton3)',
    match: /^\s*Neoverse-V1\b/i,
    maxCores: 64,
    maxThreads: 64,
    maxSockets: 1,
    isa: NEOVERSE_V1,
    lastLevelCacheBytes: 32 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 4800 * MT,
    maxMemoryBytes: 1 * TiB,
    family: true,
    source: 'https://www.arm.com/products/silicon-ip-cpu/neoverse/neoverse-v1',
  }),
  cpu({
    name: 'Arm Neoverse N1 (Graviton2, Altra)',
    match: /^\s*Neoverse-N1\b/i,
    maxCores: 128,
    maxThreads: 128,
    maxSockets: 2,
    isa: ARMV8_2,
    lastLevelCacheBytes: 32 * MiB,
    memoryChannels: 8,
    memoryTransfersPerSecond: 3200 * MT,
    maxMemoryBytes: 4 * TiB,
    family: true,
    source: 'https://www.arm.com/products/silicon-ip-cpu/neoverse/neoverse-n1',
  }),

  // Qualcomm Snapdragon X (Windows: "Snapdragon(R) X Elite - X1E78100 - Qualcomm(R) Oryon(TM) CPU").
  // 12 Oryon cores (Armv8.7: I8MM, no SVE), 36 MB L2 + 6 MB L3, 128-bit LPDDR5X-8448 (135 GB/s).
  cpu({
    name: 'Qualcomm Snapdragon X Elite / X Plus',
    match: /\bSnapdragon(\(R\))? X (Elite|Plus)\b|\bX1[EP]-?\d{2}/i,
    maxCores: 12,
    maxThreads: 12,
    maxSockets: 1,
    isa: ARMV8_6,
    lastLevelCacheBytes: 42 * MiB,
    memoryChannels: 2,
    memoryTransfersPerSecond: 8448 * MT,
    maxMemoryBytes: 64 * GiB,
    source: 'https://www.qualcomm.com/laptops/products/snapdragon-x-elite',
  }),
]

function appleSoCs(): CpuSpec[] {
  const soc = (name: string, cores: number, channels: number, mts: number, memoryGiB: number, page: string): CpuSpec =>
    cpu({
      name: `Apple ${name}`,
      match: new RegExp(`\\bApple ${name}(?! (Pro|Max|Ultra))\\b`, 'i'),
      maxCores: cores,
      maxThreads: cores,
      maxSockets: 1,
      // M1 is Armv8.5 without I8MM; M2 and later have it. None has SVE.
      isa: name.startsWith('M1') ? ARMV8_2 : ARMV8_6,
      lastLevelCacheBytes: 96 * MiB,
      memoryChannels: channels,
      memoryTransfersPerSecond: mts * MT,
      maxMemoryBytes: memoryGiB * GiB,
      source: appleNews(page),
    })
  const m1ProMax = '2021/10/introducing-m1-pro-and-m1-max-the-most-powerful-chips-apple-has-ever-built/'
  const m2ProMax = '2023/01/apple-unveils-m2-pro-and-m2-max-next-generation-chips-for-next-level-workflows/'
  const m3 = '2023/10/apple-unveils-m3-m3-pro-and-m3-max-the-most-advanced-chips-for-a-personal-computer/'
  const m4ProMax = '2024/10/apple-introduces-m4-pro-and-m4-max/'
  return [
    soc('M5', 10, 2, 9600, 32, '2025/10/apple-unleashes-m5-the-next-big-leap-in-ai-performance-for-apple-silicon/'),
    soc('M4 Max', 16, 8, 8533, 128, m4ProMax),
    soc('M4 Pro', 14, 4, 8533, 64, m4ProMax),
    soc('M4', 10, 2, 7500, 32, '2024/05/apple-introduces-m4-chip/'),
    soc('M3 Ultra', 32, 16, 6400, 512, '2025/03/apple-reveals-m3-ultra-taking-apple-silicon-to-a-new-extreme/'),
    soc('M3 Max', 16, 8, 6400, 128, m3),
    soc('M3 Pro', 12, 3, 6400, 36, m3),
    soc('M3', 8, 2, 6400, 24, m3),
    soc('M2 Ultra', 24, 16, 6400, 192, '2023/06/apple-introduces-m2-ultra/'),
    soc('M2 Max', 12, 8, 6400, 96, m2ProMax),
    soc('M2 Pro', 12, 4, 6400, 32, m2ProMax),
    soc('M2', 8, 2, 6400, 24, '2022/06/apple-unveils-m2-with-breakthrough-performance-and-capabilities/'),
    soc(
      'M1 Ultra',
      20,
      16,
      6400,
      128,
      '2022/03/apple-unveils-m1-ultra-the-worlds-most-powerful-chip-for-a-personal-computer/',
    ),
    soc('M1 Max', 10, 8, 6400, 64, m1ProMax),
    soc('M1 Pro', 10, 4, 6400, 32, m1ProMax),
    soc('M1', 8, 2, 4266, 16, '2020/11/apple-unleashes-m1/'),
  ]
}

/** The catalogue's entry for a CPU model string, the first that matches; undefined if none does. */
export function cpuCatalogued(model: string): CpuSpec | undefined {
  return cpuCatalogue.find((c) => c.match.test(model))
}
