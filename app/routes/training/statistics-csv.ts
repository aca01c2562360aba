import type { Route } from './+types/statistics-csv'
import { rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { toCsv } from '#services/platform/csv/csv.ts'
import { examStatistics } from '#services/training/exam-statistics.ts'

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'exams.statistics')
  const s = await examStatistics(actor, params.examSlug).catch(rethrowAsResponse)
  const body = toCsv([
    ['item_id', 'domain', 'n', 'facility', 'discrimination', 'choice_rates', 'flags', 'stem'],
    ...s.items.map((i) => [
      i.itemId,
      i.domain,
      String(i.n),
      i.facility.toFixed(4),
      i.discrimination === null ? '' : i.discrimination.toFixed(4),
      Object.entries(i.choiceRates)
        .sort()
        .map(([c, r]) => `${c}:${r.toFixed(4)}`)
        .join(' '),
      i.flags.join('; '),
      i.stem,
    ]),
  ])
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${s.exam.slug}-item-statistics.csv"`,
    },
  })
}
