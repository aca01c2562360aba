// `npx tsx scripts/count-casts.ts [--list] [dir]`: counts TypeScript type assertions in services/ (issue 27, "data
// from the database is parsed, not cast"). What counts: every `x as T` (AsExpression) and `<T>x` (TypeAssertion)
// node in services/**/*.ts and *.tsx, read with TypeScript's own parser, except `as const` and except test files
// (*.test.ts, *.spec.ts) and Prisma's generated client (services/platform/db/generated/, gitignored, rewritten by
// `prisma generate`). Import and export renames (`import { a as b }`) are not type assertions and are not counted;
// neither are `satisfies` nor non-null `!`. `as unknown as T` counts once (the outer node), under the kind `unknown
// as T`. Prints the total and the most frequent target types; `--list` prints every cast with its file and line.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export type Cast = { file: string; line: number; kind: string }

/** The type assertions in one file's text, `as const` left out. */
export function castsIn(fileName: string, text: string): Cast[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true)
  const found: Cast[] = []
  const visit = (node: ts.Node) => {
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) {
      const type = node.type
      const isConst = ts.isTypeReferenceNode(type) && type.typeName.getText(source) === 'const'
      if (!isConst) {
        const inner = ts.isAsExpression(node.expression) ? node.expression : undefined
        // `x as unknown as T` is one cast written in two steps; count it once, as the outer node.
        const kind = inner ? `${inner.type.getText(source)} as ${type.getText(source)}` : type.getText(source)
        found.push({ file: fileName, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, kind })
        // Skip the inner half of a double cast.
        if (inner) {
          visit(inner.expression)
          return
        }
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return ['node_modules', 'generated'].includes(entry.name) ? [] : sourceFiles(path)
    if (!/\.tsx?$/.test(entry.name) || /\.d\.ts$/.test(entry.name)) return []
    if (/\.(test|spec)\.tsx?$/.test(entry.name)) return []
    return [path]
  })
}

export function countCasts(dir = 'services'): Cast[] {
  return sourceFiles(dir).flatMap((file) => castsIn(relative('.', file), readFileSync(file, 'utf8')))
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const args = process.argv.slice(2)
  const list = args.includes('--list')
  const dir = args.find((a) => !a.startsWith('--')) ?? 'services'
  const casts = countCasts(dir)
  const byKind = new Map<string, number>()
  for (const c of casts) byKind.set(c.kind, (byKind.get(c.kind) ?? 0) + 1)
  console.log(`${casts.length} type assertions in ${dir}/ (as const, import renames and tests excluded)`)
  for (const [kind, n] of [...byKind].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`${String(n).padStart(5)}  as ${kind}`)
  if (list) for (const c of casts) console.log(`${c.file}:${c.line}  as ${c.kind}`)
}
