import { verifyAuditChain } from '../services/platform/audit/verify-audit-chain.ts'
import { db } from '../services/platform/db/client.ts'
import { ensureDatabase } from '../services/platform/db/ensure-database.ts'

// `npm run audit:verify`: exits 1 and names the first bad row when the chain is broken.
await ensureDatabase()
const report = await verifyAuditChain(db())
if (report.ok) {
  console.log(`Audit log intact: ${report.checked} events verified.`)
  process.exit(0)
}
console.error(
  `Audit log TAMPERED at event ` +
    `#${report.problem?.seq}: ${report.problem?.reason} (${report.checked} events before it verified).`,
)
process.exit(1)
