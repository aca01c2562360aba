import type { Route } from './+types/audit-csv'
import { parseValues } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { auditCsv, auditFilterSchema } from '#services/platform/audit/list-audit-events.ts'

export async function loader({ context, request }: Route.LoaderArgs) {
  requireStaff(context, request, 'audit_log.read')
  const parsed = parseValues(Object.fromEntries(new URL(request.url).searchParams), auditFilterSchema)
  if (!parsed.ok) return new Response(parsed.errors.formError, { status: 422 })
  const rows = auditCsv(parsed.data)
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await rows.next()
      if (next.done) controller.close()
      else controller.enqueue(new TextEncoder().encode(next.value))
    },
  })
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-log.csv"`,
    },
  })
}
