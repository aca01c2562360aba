import { describe, expect, it } from 'vitest'
import { cpuCatalogue, cpuCatalogued, type CpuSpec } from './cpu-catalogue.ts'
import { catalogued } from './device-catalogue.ts'

// The instruction-set vocabulary a runner's fingerprint reports (hardware-fingerprint.ts `interesting`).
const fingerprintVocabulary = [
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

describe('CPU catalogue', () => {
  it.each([
    // Linux /proc/cpuinfo "model name", macOS brand strings, libuv's Arm core names, BIOS names
    ['AMD EPYC', 'AMD EPYC (family name)'],
    ['AMD EPYC Processor', 'AMD EPYC (family name)'],
    ['AMD EPYC-Genoa Processor', 'AMD EPYC (family name)'],
    ['AMD EPYC 9654 96-Core Processor', 'AMD EPYC 9004 Genoa'],
    ['AMD EPYC 9R14 96-Core Processor', 'AMD EPYC 9004 Genoa'],
    ['AMD EPYC 9684X 96-Core Processor', 'AMD EPYC 9004 Genoa-X'],
    ['AMD EPYC 9474F 48-Core Processor', 'AMD EPYC 9004 Genoa'],
    ['AMD EPYC 9754 128-Core Processor', 'AMD EPYC 97x4 Bergamo'],
    ['AMD EPYC 9965 192-Core Processor', 'AMD EPYC 9005 Turin'],
    ['AMD EPYC 9655P 96-Core Processor', 'AMD EPYC 9005 Turin'],
    ['AMD EPYC 7763 64-Core Processor', 'AMD EPYC 7003 Milan'],
    ['AMD EPYC 7R13 Processor', 'AMD EPYC 7003 Milan'],
    ['AMD EPYC 7713P 64-Core Processor', 'AMD EPYC 7003 Milan'],
    ['AMD EPYC 75F3 32-Core Processor', 'AMD EPYC 7003 Milan'],
    ['AMD EPYC 7742 64-Core Processor', 'AMD EPYC 7002 Rome'],
    ['AMD EPYC 7773X 64-Core Processor', 'AMD EPYC 7003 Milan-X'],
    ['AMD Ryzen 9 7950X3D 16-Core Processor', 'AMD Ryzen 7000 (Raphael, Dragon Range)'],
    ['AMD Ryzen 9 9950X 16-Core Processor', 'AMD Ryzen 9000 (Granite Ridge, Fire Range)'],
    ['AMD Ryzen 7 7840U w/ Radeon 780M Graphics', 'AMD Ryzen 7040/8040 (Phoenix, Hawk Point)'],
    ['AMD Ryzen AI 9 HX 370 w/ Radeon 890M', 'AMD Ryzen AI 300 (Strix Point, Krackan Point)'],
    ['AMD Ryzen AI Max+ 395 w/ Radeon 8060S', 'AMD Ryzen AI Max (Strix Halo)'],
    ['AMD Ryzen Threadripper PRO 7995WX 96-Cores', 'AMD Ryzen Threadripper 7000'],
    ['Intel(R) Xeon(R) Platinum 8480+', 'Intel Xeon 4th gen Sapphire Rapids'],
    ['Intel(R) Xeon(R) Platinum 8488C', 'Intel Xeon 4th gen Sapphire Rapids'],
    ['Intel(R) Xeon(R) Platinum 8592+', 'Intel Xeon 5th gen Emerald Rapids'],
    ['Intel(R) Xeon(R) 6980P', 'Intel Xeon 6 Granite Rapids (P-core)'],
    ['Intel(R) Xeon(R) 6780E', 'Intel Xeon 6 Sierra Forest (E-core)'],
    ['Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz', 'Intel Xeon 3rd gen Ice Lake'],
    ['Intel(R) Xeon(R) CPU @ 2.20GHz', 'Intel Xeon (family name)'],
    ['Intel Xeon Processor (Icelake)', 'Intel Xeon (family name)'],
    ['13th Gen Intel(R) Core(TM) i9-13900K', 'Intel Core 13th/14th gen (Raptor Lake)'],
    ['Intel(R) Core(TM) i9-14900K', 'Intel Core 13th/14th gen (Raptor Lake)'],
    ['12th Gen Intel(R) Core(TM) i7-1260P', 'Intel Core 12th gen (Alder Lake)'],
    ['Intel(R) Core(TM) Ultra 7 155H', 'Intel Core Ultra Series 1 (Meteor Lake)'],
    ['Intel(R) Core(TM) Ultra 7 258V', 'Intel Core Ultra 200V (Lunar Lake)'],
    ['Intel(R) Core(TM) Ultra 9 285K', 'Intel Core Ultra 200 (Arrow Lake)'],
    ['Apple M1', 'Apple M1'],
    ['Apple M2 Pro', 'Apple M2 Pro'],
    ['Apple M3 Ultra', 'Apple M3 Ultra'],
    ['Apple M4 Max', 'Apple M4 Max'],
    ['Neoverse-N1', 'Arm Neoverse N1 (Graviton2, Altra)'],
    ['AWS Graviton3', 'AWS Graviton3'],
    ['Ampere(R) Altra(R) Max Processor', 'Ampere Altra / Altra Max'],
    ['AmpereOne(R) A192-32X', 'AmpereOne'],
    ['NVIDIA Grace', 'NVIDIA Grace'],
    ['Snapdragon(R) X Elite - X1E78100 - Qualcomm(R) Oryon(TM) CPU', 'Qualcomm Snapdragon X Elite / X Plus'],
  ])('knows %s as %s', (model, name) => {
    expect(cpuCatalogued(model)?.name).toBe(name)
  })

  it.each(['Quantum Xeon 9999', 'unknown', 'AMD EPYC 9999Z Quantum', ''])('does not know %j', (model) => {
    expect(cpuCatalogued(model)).toBeUndefined()
  })

  it('derives peak bandwidth as channels × 8 bytes × transfers per second', () => {
    // Genoa: 12 channels of DDR5-4800.
    expect(cpuCatalogued('AMD EPYC 9654 96-Core Processor')!.peakBandwidthBytesPerSecond).toBe(460.8e9)
    for (const c of cpuCatalogue)
      expect(c.peakBandwidthBytesPerSecond).toBe(c.memoryChannels * 8 * c.memoryTransfersPerSecond)
  })

  it('reproduces, in 64-bit channels, the unified-memory bandwidth Apple publishes (device catalogue)', () => {
    for (const c of cpuCatalogue.filter((c) => c.name.startsWith('Apple'))) {
      const published = catalogued(c.name)?.bandwidthBytesPerSecond
      if (published === undefined) continue // newer than the device catalogue
      expect(Math.abs(c.peakBandwidthBytesPerSecond / published - 1), c.name).toBeLessThan(0.03)
    }
  })

  it('has a vendor source, sane figures and the fingerprint’s feature spelling in every entry', () => {
    for (const c of cpuCatalogue) {
      expect(c.source, c.name).toMatch(/^https:\/\//)
      expect(c.maxThreads, c.name).toBeGreaterThanOrEqual(c.maxCores)
      expect(c.maxThreads, c.name).toBeLessThanOrEqual(2 * c.maxCores)
      expect(
        c.isa.filter((f) => !fingerprintVocabulary.includes(f)),
        c.name,
      ).toEqual([])
    }
  })

  // An honest VM that reports only the family name must never be flagged for what the hypervisor
  // hides: the family entry bounds every chip of its family from above.
  it.each([
    ['AMD EPYC (family name)', /^AMD EPYC /],
    ['Intel Xeon (family name)', /^Intel Xeon /],
  ])('gives %s the widest figures of its family', (family, member) => {
    const wide = cpuCatalogue.find((c) => c.name === family)!
    const members = cpuCatalogue.filter((c) => member.test(c.name) && c !== wide)
    expect(members.length).toBeGreaterThan(3)
    const fields: (keyof CpuSpec)[] = [
      'maxCores',
      'maxThreads',
      'lastLevelCacheBytes',
      'memoryChannels',
      'memoryTransfersPerSecond',
      'maxMemoryBytes',
      'maxSockets',
    ]
    for (const m of members) {
      for (const f of fields) expect(wide[f] as number, `${m.name} ${f}`).toBeGreaterThanOrEqual(m[f] as number)
      expect(
        m.isa.filter((f) => !wide.isa.includes(f)),
        m.name,
      ).toEqual([])
    }
  })

  it('matches a VM’s generic family name, but not an older or made-up part under the same prefix', () => {
    for (const generic of [
      'Intel(R) Xeon(R) CPU @ 2.20GHz',
      'Intel(R) Xeon(R) Processor',
      'Intel Xeon Processor (Icelake)',
    ])
      expect(cpuCatalogued(generic)?.family).toBe(true)
    for (const other of ['Intel(R) Xeon(R) CPU E5-2690 v2', 'Intel Xeon Processor totally-made-up 9000'])
      expect(cpuCatalogued(other)?.family).toBeUndefined()
  })
})
