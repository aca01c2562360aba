import type { RunConfiguration } from '../../certification-lab/benchmark/llama-bench.ts'

interface RanRecord {
  n_prompt: number
  n_gen: number
  [field: string]: unknown
}

/**
 * The configuration as run against the job's: batch and physical batch, threads (the runner's
 * registered cores), flash attention and the KV cache types, on every record. A record that does
 * not say is a record that does not match: numbers measured under another configuration are not
 * the numbers the badge would claim.
 */
export function configurationCheck(
  records: RanRecord[],
  spec: RunConfiguration,
  registeredCores: number | undefined,
): { ok: boolean; detail: string } {
  const expected: [field: string, value: unknown, words: (v: unknown) => string][] = [
    ['n_batch', spec.nBatch, (v) => `n_batch ${String(v)}`],
    ['n_ubatch', spec.nUbatch, (v) => `n_ubatch ${String(v)}`],
    ['n_threads', registeredCores, (v) => `${String(v)} threads`],
    [
      'flash_attn',
      spec.flashAttention ? 1 : 0,
      (v) => `flash attention ${v === 1 ? 'on' : v === 0 ? 'off' : String(v)}`,
    ],
    ['type_k', spec.typeK, (v) => `K cache ${String(v)}`],
    ['type_v', spec.typeV, (v) => `V cache ${String(v)}`],
  ]
  const differences = records.flatMap((r) =>
    expected
      .filter(([field, value]) => r[field] !== value)
      .map(
        ([field, value, words]) =>
          `${r.n_prompt ? `pp${r.n_prompt}` : `tg${r.n_gen}`} ran ` +
          `${field in r ? words(r[field]) : `without stating ${field}`}, the job specifies ${words(value)}`,
      ),
  )
  return differences.length
    ? { ok: false, detail: differences.join('; ') }
    : {
        ok: true,
        detail:
          `ran as the job specifies: n_batch ${spec.nBatch}, n_ubatch ${spec.nUbatch}, ${registeredCores} threads, ` +
          `flash attention ${spec.flashAttention ? 'on' : 'off'}, KV cache ${spec.typeK}/${spec.typeV}`,
      }
}
