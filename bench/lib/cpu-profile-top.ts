import { readFileSync } from 'node:fs'
import path from 'node:path'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}

/**
 * The functions a V8 CPU profile (node --cpu-prof) spent most of its own time in, and the share of
 * samples under each project file (self plus callees), as lines to print.
 */
export function topFrames(file: string, n = 15): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] }
  const total = profile.nodes.reduce((s, x) => s + (x.hitCount ?? 0), 0) || 1
  const self = new Map<string, number>()
  const where = (f: ProfileNode['callFrame']) =>
    `${f.functionName || '(anonymous)'} ${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim()
  for (const node of profile.nodes) {
    const key = where(node.callFrame)
    self.set(key, (self.get(key) ?? 0) + (node.hitCount ?? 0))
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`)
}

/** Total samples under each package or folder (inclusive of callees), to see whose code the time is in. */
export function timeByModule(file: string, n = 12): string[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] }
  const total = profile.nodes.reduce((s, x) => s + (x.hitCount ?? 0), 0) || 1
  const bucket = (url: string) => {
    if (!url) return '(native / idle / gc)'
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
    if (m) return m[1]!
    if (url.startsWith('node:')) return 'node internals'
    const p = url.replace(/^file:\/\//, '')
    const rel = path.relative(process.cwd(), p)
    return rel.split('/').slice(0, 2).join('/')
  }
  const self = new Map<string, number>()
  for (const node of profile.nodes) {
    const key = bucket(node.callFrame.url)
    self.set(key, (self.get(key) ?? 0) + (node.hitCount ?? 0))
  }
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name} (self)`)
}
