import type { Route } from './+types/accounting-file'
import { fileResponse } from '#app/lib/file-response.server.ts'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { accountingExportFile } from '#services/finance/accounting-exports.ts'

// /finance/accounting/files/<file id>: an exported journal file, byte for byte as recorded, its hash in
// a header so a download can be checked against the export's record.
export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'finance.export_journal')
  const f = await accountingExportFile(actor, params.file).catch(rethrowAsResponse)
  return fileResponse(f.content, {
    contentType: 'text/csv; charset=utf-8',
    filename: f.name,
    headers: { 'X-Content-SHA256': f.sha256 },
  })
}
