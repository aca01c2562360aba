import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../../services/platform/db/migrate.ts'
import { createEmptyDatabase } from '../support/databases.ts'
import { loadDatamodel, loadSchemaFiles, schemaDrift, schemaLayoutProblems } from '../support/schema-drift.ts'

describe('migrations and the Prisma schema (prisma/schema/)', () => {
  let db: Awaited<ReturnType<typeof createEmptyDatabase>>
  beforeAll(async () => {
    db = await createEmptyDatabase()
    await migrate(db.url)
  })
  afterAll(() => db.drop())

  it('applied to an empty database, produce exactly the Prisma datamodel', async () => {
    expect(await schemaDrift(db.url)).toEqual([])
  })

  it('report drift: a dropped column, a loosened NOT NULL, a missing index and a changed foreign key', async () => {
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    await client.query('BEGIN')
    try {
      await client.query('ALTER TABLE "User" DROP COLUMN "disabledAt"')
      await client.query('ALTER TABLE "Organization" ALTER COLUMN "name" DROP NOT NULL')
      await client.query('DROP INDEX "Session_userId_idx"')
      await client.query('ALTER TABLE "Membership" DROP CONSTRAINT "Membership_userId_fkey"')
      await client.query(
        'ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES ' +
          '"User"("id") ON DELETE RESTRICT ON UPDATE CASCADE',
      )
      await client.query('ALTER TABLE "MailMessage" ADD COLUMN "extra" TEXT')
      await client.query('COMMIT')
    } finally {
      await client.end()
    }
    const problems = await schemaDrift(db.url)
    expect(problems).toEqual(
      expect.arrayContaining([
        'User.disabledAt is missing',
        'Organization.name is nullable, the schema says required',
        'index Session_userId_idx on Session(userId) is missing',
        'foreign key Membership_userId_fkey is ON DELETE RESTRICT, the schema says CASCADE',
        'MailMessage.extra exists in the database but not in the schema',
      ]),
    )
  })
})

describe('prisma/schema/: one file per context (decision 059)', () => {
  it('declares every model and enum in exactly one file, and no context file is empty', async () => {
    expect(schemaLayoutProblems(await loadSchemaFiles(), await loadDatamodel())).toEqual([])
  })

  it('names a model declared twice, an empty context file and a block in the wrong file', () => {
    const generator = 'generator client {\n  provider = "prisma-client"\n}\n'
    const problems = schemaLayoutProblems([
      ['schema.prisma', `${generator}\nenum Role {\n  admin\n}\n`],
      ['billing.prisma', 'model Invoice {\n  id String @id\n}\n'],
      ['finance.prisma', '// Invoice moved here\nmodel Invoice {\n  id String @id\n}\n'],
      ['ledger.prisma', '// nothing left\n'],
      ['sso.prisma', `${generator}\nmodel SamlConnection {\n  id String @id\n}\n`],
    ])
    expect(problems).toEqual([
      "schema.prisma declares Role: move them to their context's file",
      'ledger.prisma declares no model or enum',
      'sso.prisma declares client: they belong in schema.prisma',
      'Invoice is declared in billing.prisma and finance.prisma',
    ])
  })
})
