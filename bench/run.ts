import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import path from 'node:path'

// `npm run bench` runs every benchmark; `npm run bench -- audit-log` runs one, and hands it the
// arguments after its name (`npm run bench -- pages --soak`).
const only = process.argv[2]
const rest = process.argv.slice(3)
const dir = path.dirname(new URL(import.meta.url).pathname)
const benches = readdirSync(dir).filter(
  (f) => f.endsWith('.ts') && !['run.ts', 'support.ts'].includes(f) && (!only || f.startsWith(only)),
)
let failed = false
for (const file of benches) {
  // llama.cpp decodes run on libuv's pool; one pool thread keeps them on one OpenMP thread team
  // (see certification-lab/README.md): four teams spinning on two cores cost tg128 three quarters.
  const extra = file.startsWith('certification') ? { UV_THREADPOOL_SIZE: '1' } : {}
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file), ...rest], {
    stdio: 'inherit',
    env: { LOG_LEVEL: 'silent', ...process.env, ...extra },
  })
  failed ||= r.status !== 0
}
process.exit(failed ? 1 : 0)
