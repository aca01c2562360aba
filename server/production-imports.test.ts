import { readFileSync } from 'node:fs'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

// Production runs server/main.ts and server/worker.ts (and migrates with scripts/db-migrate.ts) from an
// image pruned of development dependencies (Dockerfile): the demo's seeds and fakes must not be in that
// graph, and no package outside `dependencies` may be loaded up front (issue 27, "production without the
// demo"). A dynamic import is allowed on a path production never takes: Vite in development, the embedded
// PostgreSQL without DATABASE_URL, which a deployment must set.
describe('production entry points', () => {
  it('load no seeds, fakes or dev packages up front, and ship alone in the image', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> }
    const result = await build({
      entryPoints: ['server/main.ts', 'server/worker.ts', 'scripts/db-migrate.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      metafile: true,
      write: false,
      outdir: 'unused',
      logLevel: 'silent',
    })
    const files = Object.keys(result.metafile.inputs)
    expect(files.filter((f) => /^(seeds|fakes)\//.test(f))).toEqual([])
    const devOnly = Object.entries(result.metafile.inputs).flatMap(([file, input]) =>
      input.imports
        .filter((i) => i.external && !i.path.startsWith('node:') && i.kind !== 'dynamic-import')
        .map((i) => (i.path.startsWith('@') ? i.path.split('/').slice(0, 2) : i.path.split('/').slice(0, 1)).join('/'))
        .filter((name) => !pkg.dependencies[name])
        .map((name) => `${file} imports ${name}`),
    )
    expect(devOnly).toEqual([])

    // The image's last stage copies named paths from the build stage: every file the entry points load
    // is among them, and the demo's seeds and fakes, the tests, benchmarks and docs are not.
    const copied = [
      ...readFileSync('Dockerfile', 'utf8')
        .split(/^FROM /m)
        .at(-1)!
        .matchAll(/^COPY --from=build (.+) \S+$/gm),
    ]
      .flatMap((m) => m[1]!.split(/\s+/))
      .map((from) => from.replace(/^\/app\//, ''))
    expect(copied).toContain('node_modules')
    expect(copied).toContain('build')
    expect(copied).toContain('prisma')
    expect(files.filter((f) => !copied.some((c) => f === c || f.startsWith(`${c}/`)))).toEqual([])
    expect(copied.filter((c) => /^(seeds|fakes|tests|bench|docs)(\/|$)/.test(c) || c === '.')).toEqual([])
  })
})
