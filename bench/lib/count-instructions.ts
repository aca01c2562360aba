import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * Instructions executed inside llama_decode, counted by callgrind: the same for the same binary,
 * inputs and settings whatever else the machine does, where seconds on this shared VM drift by
 * 10-30% (docs/decisions/017). One thread, so no spinning worker is counted.
 */
export function decodeInstructions(command: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv }): bigint {
  const dir = mkdtempSync(path.join(tmpdir(), 'callgrind-'))
  const out = path.join(dir, 'callgrind.out')
  try {
    execFileSync(
      'valgrind',
      [
        '--tool=callgrind',
        '--collect-atstart=no',
        '--toggle-collect=llama_decode',
        `--callgrind-out-file=${out}`,
        ...command,
      ],
      { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 2 ** 20 },
    )
    const summary = /^summary:\s+(\d+)/m.exec(readFileSync(out, 'utf8'))
    if (!summary) throw new Error(`callgrind wrote no summary to ${out}`)
    return BigInt(summary[1]!)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('BENCH_COUNT=instructions needs valgrind: apt-get install valgrind', { cause: e })
    throw e
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
