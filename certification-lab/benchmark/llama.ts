import { getLlama, type Llama } from 'node-llama-cpp'
import type { GpuChoice } from './llama-bench.ts'

const instances = new Map<string, Promise<Llama>>()

/**
 * llama.cpp's bindings, loaded once per backend and thread count for the life of the process. On
 * Linux, getLlama tests a prebuilt binary in a child process on every call (about 2 s of CPU on two
 * cores), and the runner and the worker asked for one per bench, proof and challenge. Callers dispose
 * their models and contexts, never the shared instance.
 */
export function sharedLlama(gpu: GpuChoice, maxThreads?: number): Promise<Llama> {
  const key = `${String(gpu)}:${maxThreads ?? 'default'}`
  let llama = instances.get(key)
  if (!llama) {
    llama = getLlama({ build: 'never', gpu, maxThreads, logLevel: 'error' as never })
    // A backend that failed to load may load on a later call (a driver installed meanwhile).
    llama.catch(() => instances.delete(key))
    instances.set(key, llama)
  }
  return llama
}
