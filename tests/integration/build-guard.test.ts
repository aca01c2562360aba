import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// Builds two tiny React Router apps with the project's real Vite plugins: one whose component
// imports services/ (must fail) and one that imports it only from a loader (must build).
const root = path.resolve('.')
const probes: string[] = []
afterAll(async () => {
  for (const dir of probes) await rm(dir, { recursive: true, force: true })
})

async function probeApp(routeModule: string): Promise<string> {
  const dir = path.join(root, '.data', `guard-probe-${randomBytes(4).toString('hex')}`)
  probes.push(dir)
  await mkdir(path.join(dir, 'app/routes'), { recursive: true })
  await writeFile(
    path.join(dir, 'vite.config.ts'),
    `import { reactRouter } from '@react-router/dev/vite'
import { defineConfig } from 'vite'
import { servicesStayOnServer } from '${root}/build-guards.ts'
export default defineConfig({ plugins: [servicesStayOnServer('${root}'), reactRouter()], logLevel: 'error' })
`,
  )
  await writeFile(
    path.join(dir, 'react-router.config.ts'),
    `export default { ssr: true, future: { v8_middleware: true, v8_viteEnvironmentApi: true, ` +
      `v8_splitRouteModules: true } }\n`,
  )
  await writeFile(
    path.join(dir, 'app/routes.ts'),
    `import { index } from '@react-router/dev/routes'\nexport default [index('routes/home.tsx')]\n`,
  )
  await writeFile(
    path.join(dir, 'app/root.tsx'),
    `import { Outlet, Scripts } from 'react-router'
export default function App() { return <html><body><Outlet /><Scripts /></body></html> }
`,
  )
  await writeFile(path.join(dir, 'app/routes/home.tsx'), routeModule)
  return dir
}

const build = (dir: string) =>
  spawnSync(process.execPath, [path.join(root, 'node_modules/@react-router/dev/bin.js'), 'build'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  })

describe('services/ stays out of the browser bundle', () => {
  it('fails the build when a component imports services/', async () => {
    const dir = await probeApp(`import { roleLabel } from '${root}/services/identity/permissions.ts'
export default function Home() { return <p>{roleLabel('finance')}</p> }
`)
    const result = build(dir)
    expect(result.status).not.toBe(0)
    expect(result.stderr + result.stdout).toContain(
      'services/ must never reach the browser bundle, but services/identity/permissions.ts was imported by client code',
    )
  })

  it('builds when services/ is used only by a loader, and ships none of it to the browser', async () => {
    const dir = await probeApp(`import { roleLabel } from '${root}/services/identity/permissions.ts'
export async function loader() { return { label: roleLabel('finance') } }
export default function Home({ loaderData }: { loaderData: { label: string } }) { return <p>{loaderData.label}</p> }
`)
    const result = build(dir)
    expect(result.stderr).not.toMatch(/must never reach/)
    expect(result.status).toBe(0)
    const assets = await readdir(path.join(dir, 'build/client/assets'))
    const client = (
      await Promise.all(assets.map((a) => readFile(path.join(dir, 'build/client/assets', a), 'utf8')))
    ).join('\n')
    expect(client.includes('actingOnBehalfOf'), 'probe client bundle contains services code').toBe(false)
  })

  it('the platform’s own client bundle holds no services code', async () => {
    const dir = path.join(root, 'build/client/assets')
    const files = (await readdir(dir)).filter((f) => f.endsWith('.js'))
    const client = (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('\n')
    for (const serverOnly of ['pg_advisory_xact_lock', 'actingOnBehalfOf', 'CRASH_AT', 'argon2']) {
      expect(client.includes(serverOnly), `client bundle contains ${serverOnly}`).toBe(false)
    }
  })
})
