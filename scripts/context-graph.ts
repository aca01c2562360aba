// `npm run lint:graph`: prints the graph of imports between contexts (each folder under services/, and
// app, server, certification-lab, seeds, fakes) and exits 1, naming the cycle, when the contexts under
// services/ import each other in a circle, or their files do at run time (issue 27,
// docs/decisions/021-enforced-layers.md).
// Imports are read with TypeScript's own parser; `import type` counts, because a type is a dependency too.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export type Import = { specifier: string; typeOnly: boolean }
export type Edge = { from: string; to: string; fromFile: string; toFile: string; typeOnly: boolean }

/**
 * Context edges that close a cycle today and are accepted until their cut lands, each with its reason.
 * A cycle through any other edge fails the lint. Remove an entry when its cut lands.
 */
export const allowedEdges: { from: string; to: string; reason: string }[] = []

const ROOTS = ['services', 'app', 'server', 'certification-lab', 'seeds', 'fakes']
const ALIASES: Record<string, string> = {
  '#app/': 'app/',
  '#services/': 'services/',
  '#seeds/': 'seeds/',
  '#tests/': 'tests/',
  '#certification-lab/': 'certification-lab/',
}

/** Every static import, re-export and `import()` with a literal specifier in one file. */
export function importsOf(fileName: string, text: string): Import[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false)
  const found: Import[] = []
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const bindings = clause?.namedBindings
      const allNamedAreTypes =
        !!clause &&
        !clause.name &&
        !!bindings &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((e) => e.isTypeOnly)
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: !!clause?.isTypeOnly || allNamedAreTypes })
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly })
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false })
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal
      if (ts.isStringLiteral(literal)) found.push({ specifier: literal.text, typeOnly: true })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** The repository-relative path an import names, or undefined for a package. */
export function resolveImport(fromFile: string, specifier: string): string | undefined {
  for (const [alias, folder] of Object.entries(ALIASES))
    if (specifier.startsWith(alias)) return folder + specifier.slice(alias.length)
  if (!specifier.startsWith('.')) return undefined
  return normalize(join(dirname(fromFile), specifier))
    .split(sep)
    .join('/')
}

/**
 * The context a repository path belongs to: `services/<folder>` reads as `<folder>`; a module of the platform
 * layer or the kernel as `platform/<module>` or `kernel/<module>` (the platform's own files, the clock and
 * process singletons at its root, as `platform`).
 */
export function contextOf(path: string): string | undefined {
  const parts = path.split('/')
  const [top, second, third] = parts
  if (top !== 'services') return top && ROOTS.includes(top) ? top : undefined
  if (!second || parts.length < 3) return undefined
  if ((second === 'platform' || second === 'kernel') && parts.length > 3) return `${second}/${third}`
  return second
}

/** Context-to-context edges of a set of files (repository-relative path → text). */
export function contextEdges(files: Map<string, string>): Edge[] {
  const edges: Edge[] = []
  for (const [fromFile, text] of files) {
    const from = contextOf(fromFile)
    if (!from) continue
    for (const i of importsOf(fromFile, text)) {
      const toFile = resolveImport(fromFile, i.specifier)
      const to = toFile && contextOf(toFile)
      if (to && to !== from) edges.push({ from, to, fromFile, toFile: toFile!, typeOnly: i.typeOnly })
    }
  }
  return edges
}

const isService = (context: string) => !ROOTS.includes(context)

/**
 * The cycles among services/ contexts, one per strongly connected component, each named as a path
 * `a → b → … → a`, leaving out the allowed edges.
 */
export function contextCycles(edges: Edge[], allowed = allowedEdges): string[][] {
  const graph = new Map<string, Set<string>>()
  for (const e of edges) {
    if (!isService(e.from) || !isService(e.to)) continue
    if (allowed.some((a) => a.from === e.from && a.to === e.to)) continue
    if (!graph.has(e.from)) graph.set(e.from, new Set())
    if (!graph.has(e.to)) graph.set(e.to, new Set())
    graph.get(e.from)!.add(e.to)
  }
  return stronglyConnected(graph)
    .filter((c) => c.length > 1)
    .map((component) => shortestCycle(graph, component))
}

/**
 * The cycles between files under services/ through imports that run (`import type` left out: a cycle of
 * types is gone at run time, while a cycle of values decides which module sees the other half-loaded).
 */
export function fileCycles(files: Map<string, string>): string[][] {
  const graph = new Map<string, Set<string>>()
  for (const [fromFile, text] of files) {
    if (!fromFile.startsWith('services/')) continue
    for (const i of importsOf(fromFile, text)) {
      const toFile = resolveImport(fromFile, i.specifier)
      if (i.typeOnly || !toFile?.startsWith('services/') || !files.has(toFile)) continue
      if (!graph.has(fromFile)) graph.set(fromFile, new Set())
      if (!graph.has(toFile)) graph.set(toFile, new Set())
      graph.get(fromFile)!.add(toFile)
    }
  }
  return stronglyConnected(graph)
    .filter((c) => c.length > 1)
    .map((component) => shortestCycle(graph, component))
}

function stronglyConnected(graph: Map<string, Set<string>>): string[][] {
  // Tarjan's algorithm; the graph has a few dozen nodes, so recursion is fine.
  let index = 0
  const indices = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const connect = (v: string) => {
    indices.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!))
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      components.push(component.sort())
    }
  }
  for (const v of [...graph.keys()].sort()) if (!indices.has(v)) connect(v)
  return components
}

/** The shortest cycle through the component's first node, as a readable path. */
function shortestCycle(graph: Map<string, Set<string>>, component: string[]): string[] {
  const inside = new Set(component)
  const start = component[0]!
  const previous = new Map<string, string>()
  const queue = [start]
  while (queue.length) {
    const v = queue.shift()!
    for (const w of [...(graph.get(v) ?? [])].sort()) {
      if (!inside.has(w)) continue
      if (w === start) {
        const path = [v]
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!)
        return [...path, start]
      }
      if (!previous.has(w)) {
        previous.set(w, v)
        queue.push(w)
      }
    }
  }
  return component
}

function sourceFiles(root: string, folder: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'generated') out.push(...sourceFiles(root, path))
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path)
  }
  return out
}

/** Reads the repository's source files (tests left out: a test may reach across to build its fixture). */
export function repositoryFiles(root: string): Map<string, string> {
  const files = new Map<string, string>()
  for (const folder of ROOTS)
    for (const path of sourceFiles(root, folder)) files.set(path, readFileSync(join(root, path), 'utf8'))
  return files
}

function main() {
  const root = relative(process.cwd(), join(dirname(fileURLToPath(import.meta.url)), '..')) || '.'
  const files = repositoryFiles(root)
  const edges = contextEdges(files)
  const targets = new Map<string, Map<string, number>>()
  for (const e of edges) {
    const row = targets.get(e.from) ?? new Map<string, number>()
    row.set(e.to, (row.get(e.to) ?? 0) + 1)
    targets.set(e.from, row)
  }
  console.log('Imports between contexts (context → what it imports, with the number of imports):')
  for (const from of [...targets.keys()].sort()) {
    const row = [...targets.get(from)!].sort(([a], [b]) => a.localeCompare(b))
    console.log(`  ${from} → ${row.map(([to, n]) => `${to} (${n})`).join(', ')}`)
  }
  for (const a of allowedEdges) console.log(`Allowed until its cut lands: ${a.from} → ${a.to} (${a.reason})`)
  const cycles = contextCycles(edges)
  for (const cycle of cycles) {
    console.error(`Cycle between contexts: ${cycle.join(' → ')}`)
    for (const [from, to] of cycle.slice(0, -1).map((c, i) => [c, cycle[i + 1]!] as const)) {
      const through = edges.filter((e) => e.from === from && e.to === to).map((e) => `${e.fromFile} → ${e.toFile}`)
      console.error(`  ${from} → ${to}: ${[...new Set(through)].slice(0, 3).join('; ')}`)
    }
  }
  const betweenFiles = fileCycles(files)
  for (const cycle of betweenFiles) console.error(`Cycle between files at run time: ${cycle.join(' → ')}`)
  if (cycles.length || betweenFiles.length) process.exitCode = 1
  else console.log('No cycle between the contexts under services/, nor between their files at run time.')
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main()
