import { describe, expect, it } from 'vitest'
import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { scopedDb } from '../../services/tenancy/tenant-guard.ts'
import { signedContractFor } from '../support/royalties.ts'
import { termsStartingToday } from '../support/contracts.ts'
import { createOrganization, unique } from '../support/fixtures.ts'

// What the database refuses by itself, whatever the code above it does.
describe('the database', () => {
  it('refuses a row that points at a parent in another organization', async () => {
    const a = await signedContractFor(termsStartingToday())
    const b = await createOrganization()
    // A version of A's contract filed under B: the composite key (contractId, organizationId) has no match.
    await expect(
      db().contractVersion.create({
        data: {
          id: newId(),
          contractId: a.contract.id,
          organizationId: b.id,
          version: 9,
          effectiveFrom: new Date('2027-01-01'),
          terms: {},
          termsSha256: 'x',
        },
      }),
    ).rejects.toThrow(/foreign key/i)
    await expect(
      db().$executeRawUnsafe(
        `INSERT INTO "ContractEvent" (id, "organizationId", "contractId", type) VALUES ($1, $2, $3, 'drafted')`,
        newId(),
        b.id,
        a.contract.id,
      ),
    ).rejects.toThrow(/foreign key/i)
  })

  it('takes report lines only into an open upload of their own organization, and keeps posted ones', async () => {
    const a = await createOrganization()
    const b = await createOrganization()
    const line = (uploadId: string, organizationId: string, lineNumber: number) =>
      db().$executeRawUnsafe(
        `INSERT INTO "RoyaltyReportLine" ("uploadId", "organizationId", "lineNumber", "deviceModel", "deviceClass",
           "priceBand", "region", "units") VALUES ($1, $2, $3, 'M', 'smartphone', 'Entry', 'EU', 1)`,
        uploadId,
        organizationId,
        lineNumber,
      )
    const upload = await db().reportUpload.create({ data: { id: newId(), organizationId: a.id } })
    await line(upload.id, a.id, 1)
    // Another organization's lines, and lines of an upload that does not exist, are refused.
    await expect(line(upload.id, b.id, 2)).rejects.toThrow(/own organization/)
    await expect(line(newId(), a.id, 1)).rejects.toThrow(/own organization/)
    // An upload keeps its lines; unposted, both may be discarded.
    await expect(db().reportUpload.delete({ where: { id: upload.id } })).rejects.toThrow(
      /discard its lines first|foreign key/i,
    )
    await db().reportUpload.update({ where: { id: upload.id }, data: { postedAt: new Date() } })
    // Posted: nothing joins it, nothing of it changes or goes.
    await expect(line(upload.id, a.id, 3)).rejects.toThrow(/unposted upload/)
    await expect(
      db().$executeRawUnsafe(`DELETE FROM "RoyaltyReportLine" WHERE "uploadId" = $1`, upload.id),
    ).rejects.toThrow(/append-only/)
    await expect(
      db().$executeRawUnsafe(`UPDATE "RoyaltyReportLine" SET units = 9 WHERE "uploadId" = $1`, upload.id),
    ).rejects.toThrow(/append-only/)
    const open = await db().reportUpload.create({ data: { id: newId(), organizationId: a.id } })
    await line(open.id, a.id, 1)
    await db().$executeRawUnsafe(`DELETE FROM "RoyaltyReportLine" WHERE "uploadId" = $1`, open.id)
    await db().reportUpload.delete({ where: { id: open.id } })
  })

  it('refuses a currency that is not an ISO code contracts may use, and an unknown status', async () => {
    const org = await createOrganization()
    await expect(
      db().ledgerAccount.create({ data: { id: newId(), organizationId: org.id, currency: 'XYZ', type: 'cash' } }),
    ).rejects.toThrow(/currency_check/)
    await expect(
      db().$executeRawUnsafe(
        'INSERT INTO "CertRequest" (id, "organizationId", "productName", sku, "createdById") ' +
          "VALUES ($1, $2, 'x', 'x', 'x')",
        unique('r'),
        org.id,
      ),
    ).resolves.toBe(1)
    await expect(
      db().$executeRawUnsafe(`UPDATE "MailMessage" SET transport = 'carrier-pigeon' WHERE false`),
    ).rejects.toThrow(/invalid input value for enum/)
  })

  it('gives the tenant client no update or delete without a where clause', async () => {
    const org = await createOrganization()
    const scoped = scopedDb(db(), org.id)
    await expect(scoped.reportMapping.deleteMany({})).rejects.toThrow(/without a where clause/)
    await expect(scoped.invitation.updateMany({ data: { revokedAt: new Date() } })).rejects.toThrow(
      /without a where clause/,
    )
  })
})
