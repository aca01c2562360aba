import { defineConfig } from 'prisma/config'

// DATABASE_URL is optional here: `prisma generate` needs no database.
export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/ggml' },
})
