import { db } from '../../services/db/client.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { ReportValidator } from '../../services/royalties/report-lines.ts'
import { submitRoyaltyReport } from '../../services/royalties/submit-royalty-report.ts'
import { prepareReport } from '#services/royalties/prepare-report.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'

// Posts a large report in its own process, so the crash test can kill it at any instant.
const [userId, organizationId, contractId, period, lines] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
]
const scope = await tenantScope(await actorForUser(userId), { id: organizationId }, 'royalties.report')
const prepared = await prepareReport(scope, contractId, period)
const v = new ReportValidator(prepared.terms)
for (let i = 0; i < Number(lines); i++)
  v.add(i + 2, {
    device_model: `M${i}`,
    device_class: 'smartphone',
    price_band: ['Entry', 'Mainstream', 'Premium'][i % 3],
    region: 'EU',
    units: 1 + (i % 7),
  })
const result = await submitRoyaltyReport(scope, prepared, v.lines, { source: 'api', idempotencyKey: `crash-${period}` })
console.log(JSON.stringify(result))
await db().$disconnect()
process.exit(0)
