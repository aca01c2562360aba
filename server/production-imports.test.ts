import { readFileSync } from 'node:fs'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

// Production runs server/main.ts and server/worker.ts (and migrates with scripts/db-migrate.ts) from an
// image pruned of development dependencies (Dockerfile): the demo's seeds and fakes must not be in that
// graph, and no package outside `dependencies` may be loaded up front (issue 27, "production without the
// demo"). A dynamic import is allowed on a path production never takes: Vite in development, the embedded
// PostgreSQL without DATABASE_URL, which a deployment must set.
describe('production entry points', () => {
  it('import neither seeds nor fakes, and load only production dependencies up front', async () => {
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
  })
})
