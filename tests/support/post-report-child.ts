import { db } from '../../services/platform/db/client.ts'
import { travelTo } from '../../services/platform/clock.ts'
import { actorForUser } from '../../services/identity/sessions.ts'
import { receiveRoyaltyReport } from '../../services/royalties/receive-royalty-report.ts'
import { prepareReport } from '#services/royalties/prepare-report.ts'
import { tenantScope } from '../../services/tenancy/tenant-guard.ts'

// Posts a large report in its own process, so the crash test can kill it (CRASH_AT names where).
const [userId, organizationId, contractId, period, lines, now] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
]
travelTo(now)
const scope = await tenantScope(await actorForUser(userId), { id: organizationId }, 'royalties.report')
const prepared = await prepareReport(scope, contractId, period)
function* rows() {
  for (let i = 0; i < Number(lines); i++)
    yield {
      device_model: `M${i}`,
      device_class: 'smartphone',
      price_band: ['Entry', 'Mainstream', 'Premium'][i % 3],
      region: 'EU',
      units: 1 + (i % 7),
    }
}
const received = await receiveRoyaltyReport(
  scope,
  prepared,
  { lines: rows() },
  { source: 'api', idempotencyKey: `crash-${period}` },
)
if (!received.ok) throw new Error(JSON.stringify(received.issues))
console.log(JSON.stringify(received.result))
await db().$disconnect()
process.exit(0)
