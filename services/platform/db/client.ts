import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from './generated/client.ts'
import { singleton } from '../singleton.ts'
import { appDatabaseUrl } from './app-role.ts'

export type Db = InstanceType<typeof PrismaClient>
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0]
export type DbOrTx = Db | Tx

export function createDb(connectionString: string): Db {
  // JIT compilation pays off for long analytical queries, not for ours: it cost more than the query.
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, max: 10, options: '-c jit=off' }),
    // A transaction waits up to 10 s for a connection rather than Prisma's 2 s: on a busy machine (two
    // cores shared with llama.cpp in CI, a burst of requests in production) 2 s failed work that would
    // have run a moment later. The transaction's own run time keeps Prisma's default bound.
    transactionOptions: { maxWait: 10_000 },
  })
}

// DATABASE_URL is set by services/platform/db/ensure-database.ts before the first query, also for the
// embedded default, so reading it lazily here is safe. Queries run as the app role, not the owner.
export function db(): Db {
  return singleton('prisma', () => createDb(appDatabaseUrl()))
}
