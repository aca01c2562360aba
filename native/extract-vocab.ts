import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'

/**
 * The real llama tokenizer vocabulary, from the llama.cpp source that node-llama-cpp ships as a
 * git bundle (llama/gitRelease.bundle): read one file out of it without checking the tree out.
 * Needs `git` on PATH.
 */
export function extractVocab(name = 'ggml-vocab-llama-spm.gguf', outDir = path.resolve('.data/models')): string {
  const out = path.join(outDir, name)
  if (existsSync(out)) return out
  // node-llama-cpp's exports hide package.json; find the package from its main entry instead.
  const require = createRequire(import.meta.url)
  let root = path.dirname(require.resolve('node-llama-cpp'))
  while (!existsSync(path.join(root, 'llama', 'gitRelease.bundle')) && root !== path.dirname(root))
    root = path.dirname(root)
  const bundle = path.join(root, 'llama', 'gitRelease.bundle')
  const repo = mkdtempSync(path.join(tmpdir(), 'llama-bundle-'))
  try {
    execFileSync('git', ['init', '-q', '--bare', repo])
    const head = execFileSync('git', ['bundle', 'list-heads', bundle], { encoding: 'utf8' })
      .trim()
      .split('\n')[0]!
      .split(' ')[0]!
    execFileSync('git', ['-C', repo, 'fetch', '-q', bundle, head])
    const bytes = execFileSync('git', ['-C', repo, 'show', `${head}:models/${name}`], { maxBuffer: 64 * 1024 * 1024 })
    mkdirSync(outDir, { recursive: true })
    writeFileSync(out, bytes)
    return out
  } finally {
    rmSync(repo, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(extractVocab(process.argv[2]))
