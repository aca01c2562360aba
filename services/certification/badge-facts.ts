import type { DeclaredModel } from './declare-partner-model.ts'
import { modelName, PARTNER_MODEL } from './known-models.ts'
import { readPayload, type StoredRecord } from './stored-certification.ts'

/** One line of a badge page's facts: what it is, and its value in words. */
export interface Fact {
  label: string
  value: string
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(bytes < 2 ** 30 ? 2 : 1)} GiB`
const count = (n: number) =>
  n >= 1e9 ? `${(n / 1e9).toFixed(2)} billion` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} million` : String(n)

/**
 * The hardware, the model and the settings of a badge's run as readable facts, from the signed
 * result (and, for a partner's model, the tensor table it declared): what a person reads on the
 * public page, where the raw JSON stays one link away.
 */
export function badgeFacts(
  payload: unknown,
  declared: DeclaredModel | null,
): { hardware: Fact[]; model: Fact[]; settings: Fact[] } {
  const p = readPayload(payload)
  const h = p.hardware ?? {}
  const m = p.model ?? {}
  const run: Partial<StoredRecord> = p.records?.[0] ?? {}
  const hardware: Fact[] = [
    { label: 'Processor', value: h.cpu?.model ?? 'not stated' },
    { label: 'Cores', value: `${h.cpu?.cores ?? '?'} cores, ${h.cpu?.threads ?? '?'} hardware threads` },
  ]
  if (h.cpu?.features?.length) hardware.push({ label: 'Instruction sets', value: h.cpu.features.join(', ') })
  if (h.memoryBytes) hardware.push({ label: 'Memory', value: gib(h.memoryBytes) })
  hardware.push({ label: 'GPUs', value: h.gpus?.length ? h.gpus.join(', ') : 'none' })
  hardware.push({ label: 'Backend that ran', value: run.backends || 'CPU' })
  if (h.os) hardware.push({ label: 'Operating system', value: [h.os.platform, h.os.release, h.os.arch].join(' ') })
  if (h.llamaCpp)
    hardware.push({ label: 'llama.cpp', value: `${h.llamaCpp} (node-llama-cpp ${h.nodeLlamaCpp ?? '?'})` })

  const model: Fact[] =
    m.shape === PARTNER_MODEL
      ? [
          { label: 'Model', value: `${m.type ?? 'the partner’s model'}: partner-declared` },
          {
            label: 'What that means',
            value:
              'the partner’s own GGUF file; the platform holds no copy. Its tensor table was read from the header ' +
              'the partner attached and bound to this SHA-256; the runner’s file matched both.',
          },
        ]
      : [
          {
            label: 'Model',
            value: `${modelName({ shape: m.shape ?? '', type: m.type ?? '' })} (synthesized, seed ${m.seed})`,
          },
          {
            label: 'What that means',
            value:
              'a model of that size and shape that the platform synthesizes itself from llama.cpp’s vocabulary; ' +
              'its SHA-256 and tensor table are the platform’s own.',
          },
        ]
  if (declared) {
    const types = Object.entries(declared.types)
      .sort((a, b) => b[1] - a[1])
      .map(([t, n]) => `${t} × ${n}`)
      .join(', ')
    model.push(
      { label: 'Architecture', value: declared.architecture },
      { label: 'Parameters', value: count(declared.parameters) },
      { label: 'Tensors', value: `${declared.tensors} (${types})` },
    )
  }
  if (m.bytes) model.push({ label: 'File size', value: `${m.bytes.toLocaleString('en-US')} bytes (${gib(m.bytes)})` })
  if (m.sha256) model.push({ label: 'SHA-256', value: m.sha256 })

  const settings: Fact[] = [
    { label: 'Threads', value: String(run.n_threads ?? '?') },
    { label: 'Batch', value: `n_batch ${run.n_batch ?? '?'}, n_ubatch ${run.n_ubatch ?? '?'}` },
    { label: 'Flash attention', value: run.flash_attn === 1 ? 'on' : run.flash_attn === 0 ? 'off' : 'not stated' },
    { label: 'KV cache', value: `K ${run.type_k ?? '?'}, V ${run.type_v ?? '?'}` },
  ]
  if (run.n_gpu_layers) settings.push({ label: 'Layers on the GPU', value: String(run.n_gpu_layers) })
  return { hardware, model, settings }
}
