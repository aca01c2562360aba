import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'

/** Busy and total CPU ticks of the whole machine so far (Linux /proc/stat; null elsewhere). */
async function cpuTicks(): Promise<{ busy: number; total: number } | null> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => null)
  const fields = stat
    ?.match(/^cpu\s+(.*)$/m)?.[1]
    ?.trim()
    .split(/\s+/)
    .map(Number)
  if (!fields || fields.length < 4) return null
  // user nice system idle iowait irq softirq steal: idle and iowait are the only quiet ones; steal
  // (another VM on the host) counts as busy, because it slows a measurement just the same.
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0)
  return { busy: total - fields[3]! - (fields[4] ?? 0), total }
}

/**
 * The machine's busy and total CPU ticks, this process's own (all its threads), and the file pages
 * the kernel had to read back after reclaiming them (workingset_refault_file), at one moment.
 */
export async function cpuSnapshot(): Promise<{ busy: number; total: number; own: number; refaults: number } | null> {
  const machine = await cpuTicks()
  const self = await readFile('/proc/self/stat', 'utf8').catch(() => null)
  const vmstat = await readFile('/proc/vmstat', 'utf8').catch(() => '')
  // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th.
  const fields = self?.slice(self.lastIndexOf(')') + 2).split(' ')
  if (!machine || !fields) return null
  const refaults = Number(vmstat.match(/^workingset_refault_file (\d+)$/m)?.[1] ?? 0)
  return { ...machine, own: Number(fields[11]) + Number(fields[12]), refaults }
}

/** The share of the machine's CPU time that other processes used between two snapshots. */
export function othersShare(
  a: Awaited<ReturnType<typeof cpuSnapshot>>,
  b: Awaited<ReturnType<typeof cpuSnapshot>>,
): number | null {
  if (!a || !b || b.total === a.total) return null
  return Math.max(0, b.busy - a.busy - (b.own - a.own)) / (b.total - a.total)
}

/** The share of the machine's CPU time others used over `ms` while this process waited; null off Linux. */
export async function othersBusy(ms = 1000): Promise<number | null> {
  const a = await cpuSnapshot()
  await sleep(ms)
  return othersShare(a, await cpuSnapshot())
}

/**
 * Waits until other work leaves the machine alone (at most `threshold` of its CPU time for a
 * second), up to `maxWaitMs`: a measurement while a database vacuums or a build runs says more
 * about them than about the hardware (the demo's first pp512 samples ran at half speed for a
 * minute after its seeding). Measuring anyway after the wait is the caller's choice, stated.
 */
export async function waitForQuiet(
  opts: { threshold?: number; maxWaitMs?: number; onBusy?: (busy: number) => void } = {},
): Promise<{ busy: number | null; quiet: boolean }> {
  const threshold = opts.threshold ?? 0.1
  if (opts.maxWaitMs === 0) return { busy: null, quiet: true }
  const tries = Math.max(1, Math.ceil((opts.maxWaitMs ?? 120_000) / 1000))
  let busy: number | null = null
  for (let i = 0; i < tries; i++) {
    busy = await othersBusy()
    if (busy === null || busy <= threshold) return { busy, quiet: true }
    opts.onBusy?.(busy)
  }
  return { busy, quiet: false }
}
