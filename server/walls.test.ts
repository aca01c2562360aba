import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, test } from 'vitest'
import { contextCycles, contextEdges, fileCycles, repositoryFiles } from '../scripts/context-graph.ts'
import { countCasts } from '../scripts/count-casts.ts'

// Each wall of docs/architecture.md fails on a planted violation (issue 27, decision 021): a rule nobody
// proved fails is a rule that may match nothing, as the old `#services/platform/db/client.ts` pattern did.
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const RULES = ['@typescript-eslint/no-restricted-imports', 'no-restricted-syntax']
const eslint = new ESLint({
  cwd: root,
  // Only the walls (static imports, and import() of the project's own code): the type-aware rules would need
  // the planted files on disk.
  ruleFilter: ({ ruleId }) => RULES.includes(ruleId),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
})

async function refused(path: string, code: string): Promise<boolean> {
  const [result] = await eslint.lintText(code, { filePath: join(root, path) })
  expect(result!.messages.filter((m) => !RULES.includes(m.ruleId ?? ''))).toEqual([])
  return result!.messages.length > 0
}

describe('the import walls in npm run lint', () => {
  test('a route may not hold the database: not the client, not Prisma, not pg', async () => {
    const route = 'app/routes/planted.tsx'
    expect(await refused(route, "import { db } from '#services/platform/db/client.ts'\n")).toBe(true)
    expect(await refused(route, "import { db } from '../../services/platform/db/client.ts'\n")).toBe(true)
    expect(await refused(route, "import { PrismaClient } from '#services/platform/db/generated/client.ts'\n")).toBe(
      true,
    )
    expect(await refused(route, "import { PrismaClient } from '@prisma/client'\n")).toBe(true)
    expect(await refused(route, "import pg from 'pg'\n")).toBe(true)
    expect(await refused(route, "import { unscopedDb } from '#services/platform/db/unscoped.ts'\n")).toBe(true)
    expect(await refused(route, "import { pgPool } from '#services/platform/db/pg-pool.ts'\n")).toBe(true)
    expect(await refused(route, "import { allPartnersScope } from '#services/tenancy/tenant-guard.ts'\n")).toBe(true)
    expect(await refused(route, "import { db } from './../../services/platform/db/client.ts'\n")).toBe(true)
    expect(
      await refused(route, "import { isUniqueViolation } from '#services/platform/db/unique-violation.ts'\n"),
    ).toBe(false)
    // Use cases and types are what a route imports.
    expect(await refused(route, "import { setRate } from '#services/engagements/set-rate.ts'\n")).toBe(false)
    expect(await refused(route, "import type { Db } from '#services/platform/db/client.ts'\n")).toBe(false)
  })

  test('a business context never imports app/', async () => {
    expect(await refused('services/billing/planted.ts', "import { x } from '#app/lib/forms.server.ts'\n")).toBe(true)
    expect(await refused('services/billing/planted.ts', "import { x } from '../../app/lib/forms.server.ts'\n")).toBe(
      true,
    )
    expect(
      await refused('services/billing/planted.ts', "import { post } from '../ledger/post-journal-entry.ts'\n"),
    ).toBe(false)
  })

  test('rating imports no other business context (contracts and royalties import it)', async () => {
    expect(await refused('services/rating/planted.ts', "import { x } from '../contracts/current-term-end.ts'\n")).toBe(
      true,
    )
    expect(
      await refused('services/rating/planted.ts', "import { x } from '#services/royalties/rate-contract.ts'\n"),
    ).toBe(true)
    expect(await refused('services/rating/planted.ts', "import { x } from '#app/lib/forms.server.ts'\n")).toBe(true)
    expect(await refused('services/rating/planted.ts', "import { money } from '../kernel/money/money.ts'\n")).toBe(
      false,
    )
  })

  test('the platform layer never imports a business context', async () => {
    expect(
      await refused('services/platform/jobs/planted.ts', "import { x } from '../../billing/issue-invoice.ts'\n"),
    ).toBe(true)
    expect(
      await refused('services/platform/health/planted.ts', "import { x } from './../../billing/dunning.ts'\n"),
    ).toBe(true)
    expect(
      await refused('services/platform/jobs/planted.ts', "import { x } from '#services/identity/actor.ts'\n"),
    ).toBe(true)
    expect(
      await refused('services/platform/db/planted.ts', "const x = await import('../../royalties/prepare-report.ts')\n"),
    ).toBe(true)
    // The platform may import the database layer (by a reason, as every folder outside db/ and tenancy/ does).
    expect(await refused('services/platform/jobs/planted.ts', "import { unscopedDb } from '../db/unscoped.ts'\n")).toBe(
      false,
    )
  })

  test('outside the database layer and the tenancy guard, the unscoped client is asked for by a reason', async () => {
    expect(await refused('services/billing/planted.ts', "import { db } from '../platform/db/client.ts'\n")).toBe(true)
    expect(await refused('services/billing/planted.ts', "import { db } from '../platform/db/client.js'\n")).toBe(true)
    expect(await refused('services/billing/planted.ts', "import * as c from '../platform/db/client.ts'\n")).toBe(true)
    expect(await refused('services/billing/planted.ts', "import { createDb } from '../platform/db/client.ts'\n")).toBe(
      true,
    )
    expect(await refused('services/billing/planted.ts', "export { db } from '../platform/db/client.ts'\n")).toBe(true)
    expect(
      await refused(
        'services/platform/jobs/planted.ts',
        "import { db as raw } from '#services/platform/db/client.ts'\n",
      ),
    ).toBe(true)
    expect(
      await refused('services/billing/planted.ts', "import { unscopedDb } from '../platform/db/unscoped.ts'\n"),
    ).toBe(false)
    expect(await refused('services/billing/planted.ts', "import type { Db } from '../platform/db/client.ts'\n")).toBe(
      false,
    )
    expect(await refused('services/credits/planted.ts', "import { pgPool } from '../platform/db/pg-pool.ts'\n")).toBe(
      true,
    )
    expect(
      await refused('services/credits/planted.ts', "import { unscopedPool } from '../platform/db/unscoped.ts'\n"),
    ).toBe(false)
    expect(await refused('services/tenancy/planted.ts', "import { db } from '../platform/db/client.ts'\n")).toBe(false)
    expect(await refused('services/platform/db/planted.ts', "import { db } from './client.ts'\n")).toBe(false)
    // The rule's options replace the earlier block's: the clock and import() walls still hold there.
    expect(await refused('services/billing/planted.ts', 'const t = Date.now()\n')).toBe(true)
    expect(await refused('services/billing/planted.ts', "const m = await import('../ledger/post.ts')\n")).toBe(true)
  })

  test('the kernel imports only the kernel', async () => {
    expect(
      await refused('services/kernel/money/planted.ts', "import { db } from '../../platform/db/client.ts'\n"),
    ).toBe(true)
    expect(
      await refused('services/kernel/calendar/planted.ts', "import { x } from '../../rating/contract-terms.ts'\n"),
    ).toBe(true)
    expect(await refused('services/kernel/calendar/planted.ts', "import { x } from '../money/money.ts'\n")).toBe(false)
  })

  test('certification-lab/ never imports services/', async () => {
    expect(await refused('certification-lab/planted.ts', "import { x } from '#services/platform/clock.ts'\n")).toBe(
      true,
    )
    expect(
      await refused('certification-lab/gguf/planted.ts', "import { x } from '../../services/platform/csv/csv.ts'\n"),
    ).toBe(true)
  })

  test('every folder under services/ sits in a tier, so each has a wall against app/', async () => {
    const folders = readdirSync(join(root, 'services'), { withFileTypes: true }).filter((d) => d.isDirectory())
    const unwalled: string[] = []
    for (const { name } of folders)
      if (!(await refused(`services/${name}/planted.ts`, "import { x } from '#app/root.tsx'\n"))) unwalled.push(name)
    expect(unwalled).toEqual([])
  })
})

describe('the context graph (scripts/context-graph.ts)', () => {
  test('names a planted cycle between contexts under services/', () => {
    const files = new Map([
      ['services/ledger/close.ts', "import { report } from '../royalties/report.ts'\n"],
      ['services/royalties/report.ts', "import { post } from '#services/contracts/sync.ts'\n"],
      ['services/contracts/sync.ts', "import type { Entry } from '../ledger/close.ts'\n"],
      ['app/routes/x.tsx', "import { report } from '#services/royalties/report.ts'\n"],
    ])
    expect(contextCycles(contextEdges(files), [])).toEqual([['contracts', 'ledger', 'royalties', 'contracts']])
    expect(contextCycles(contextEdges(files), [{ from: 'contracts', to: 'ledger', reason: 'planted' }])).toEqual([])
  })

  test('names a planted cycle between files at run time, and lets a cycle of types pass', () => {
    const files = new Map([
      ['services/billing/issue-invoice.ts', "import { notes } from './issue-credit-notes.ts'\n"],
      ['services/billing/issue-credit-notes.ts', "import { customer } from './issue-invoice.ts'\n"],
      ['services/royalties/prepare.ts', "import type { Staged } from './stage.ts'\n"],
      ['services/royalties/stage.ts', "import { prepare } from './prepare.ts'\n"],
    ])
    expect(fileCycles(files)).toEqual([
      [
        'services/billing/issue-credit-notes.ts',
        'services/billing/issue-invoice.ts',
        'services/billing/issue-credit-notes.ts',
      ],
    ])
  })

  test('main has no cycle between contexts beyond the commented allow-list, nor between files at run time', () => {
    const files = repositoryFiles(root)
    expect(contextCycles(contextEdges(files))).toEqual([])
    expect(fileCycles(files)).toEqual([])
    // Parsing every source file takes 3 s alone and over 10 on a loaded machine: a bound on a hang.
  }, 60_000)
})

test('npm test runs the graph and the type check, so it fails on a cycle or a type error', () => {
  const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>
  expect(scripts.lint).toContain('eslint .')
  expect(scripts.lint).toContain('lint:graph')
  expect(scripts.lint).toContain('lint:types')
  expect(scripts['lint:graph']).toContain('scripts/context-graph.ts')
  expect(scripts['lint:types']).toContain('tsc --noEmit')
  // npm test runs the same tools as two chains side by side (scripts/test.mjs), not `npm run lint`.
  const runner = readFileSync(join(root, 'scripts/test.mjs'), 'utf8')
  for (const step of [
    "bin('eslint')} .",
    "bin('prettier')} --check .",
    'scripts/context-graph.ts',
    "bin('tsc')} --noEmit",
  ])
    expect(runner).toContain(step)
})

test('the context map in docs/architecture.md is the graph: every edge between business contexts, no other', () => {
  const doc = readFileSync(join(root, 'docs/architecture.md'), 'utf8')
  const map = doc.slice(doc.indexOf('## The context map'), doc.indexOf('\n## ', doc.indexOf('## The context map') + 3))
  const documented = new Set<string>()
  for (const [, contexts = '', imports = ''] of map.matchAll(/^\| ([^|]+?) \| ([^|]+?) \|$/gm)) {
    if (contexts === 'Context' || contexts.startsWith('---')) continue
    for (const from of contexts.replace(/\(.*\)/, '').split(','))
      for (const to of imports.startsWith('(') ? [] : imports.split(','))
        documented.add(`${from.trim()} → ${to.trim()}`)
  }
  // Every folder under services/ but the two tier folders is a business context (the tier test above holds it).
  const business = new Set(
    readdirSync(join(root, 'services'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && d.name !== 'platform' && d.name !== 'kernel')
      .map((d) => d.name),
  )
  const actual = new Set(
    contextEdges(repositoryFiles(root))
      .filter((e) => business.has(e.from) && business.has(e.to))
      .map((e) => `${e.from} → ${e.to}`),
  )
  expect({ missingFromTheMap: [...actual].filter((e) => !documented.has(e)).sort() }).toEqual({ missingFromTheMap: [] })
  expect({ notInTheCode: [...documented].filter((e) => !actual.has(e)).sort() }).toEqual({ notInTheCode: [] })
}, 60_000)

test('casts in services/ stay under 40 (issue 27: data from the database is parsed, not cast)', () => {
  expect(countCasts(join(root, 'services')).length).toBeLessThan(40)
}, 60_000)
