import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'

// `npm run bench` runs every benchmark; `npm run bench -- audit-log` runs one.
const only = process.argv[2]
const dir = path.dirname(new URL(import.meta.url).pathname)
const benches = readdirSync(dir).filter((f) => f.endsWith('.ts') && !['run.ts', 'support.ts'].includes(f) && (!only || f.startsWith(only)))
let failed = false
for (const file of benches) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], { stdio: 'inherit', env: { LOG_LEVEL: 'silent', ...process.env } })
  failed ||= r.status !== 0
}
process.exit(failed ? 1 : 0)
