import { ensureDatabase } from '../services/platform/db/ensure-database.ts'
import { migrate } from '../services/platform/db/migrate.ts'

// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (or the embedded database).
const { url, owner } = await ensureDatabase()
if (!owner) {
  console.error('npm run db:migrate runs as the owner: set DATABASE_URL (APP_DATABASE_URL cannot migrate).')
  process.exit(1)
}
const { applied, alreadyApplied } = await migrate(url)
console.log(
  applied.length ? `Applied: ${applied.join(', ')}` : 'Nothing to apply.',
  `(${alreadyApplied.length} already applied)`,
)
process.exit(0)
