// `prisma generate` offline: the query compiler is WebAssembly, but the CLI still looks for a
// schema-engine binary it never uses for generate. Point it at a placeholder file so no download
// is attempted (Prisma's native engines cannot be fetched here; see docs/decisions/002).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const placeholder = path.resolve('node_modules/.cache/prisma-schema-engine-placeholder')
if (!existsSync(placeholder)) {
  mkdirSync(path.dirname(placeholder), { recursive: true })
  writeFileSync(placeholder, '')
}
const result = spawnSync('npx', ['prisma', 'generate'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? placeholder,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
})
process.exit(result.status ?? 1)
