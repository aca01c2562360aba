import { draftContract } from '../services/contracts/draft-contract.ts'
import { hybridTerms } from '../services/rating/sample-terms.ts'
import { submitForApproval } from '../services/contracts/submit-for-approval.ts'
import { db } from '../services/platform/db/client.ts'
import { submitExpense } from '../services/engagements/submit-expense.ts'
import type { Permission } from '../services/identity/permissions.ts'
import { actorForUser } from '../services/identity/sessions.ts'
import { requestAdjustment } from '../services/ledger/request-adjustment.ts'
import { now } from '../services/platform/clock.ts'
import { tenantScope } from '../services/tenancy/tenant-guard.ts'
import { requestAccommodation } from '../services/training/request-accommodation.ts'

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])
const NOTE_REASON = 'Goodwill: the Q3 price list reached Northwind two weeks late.'

/**
 * Work waiting in each demo inbox (issue 29), asked for by one person for another to decide: Cleo's
 * credit note for Northwind and Pat's Aurora license under the price floor wait for Fei (finance);
 * Rui's extra time for Lee waits for Ines (instructor); Connor's hotel receipt waits for Sam, with
 * last week's timesheet. Kai's delivered milestone and Rui's item in review come from the other seeds;
 * the certification engineer's badge from the demo's real run. Runs once.
 */
export async function seedDemoInbox(): Promise<void> {
  if (await db().adjustment.findFirst({ where: { reason: NOTE_REASON } })) return
  const user = async (email: string) => actorForUser((await db().user.findUniqueOrThrow({ where: { email } })).id)
  const org = async (slug: string) => (await db().organization.findUniqueOrThrow({ where: { slug } })).id
  const scope = async (email: string, slug: string, p: Permission) =>
    tenantScope(await user(email), { id: await org(slug) }, p)

  await requestAdjustment(await scope('controller@ggml.example', 'northwind-silicon', 'adjustments.request'), {
    currency: 'USD',
    direction: 'credit',
    amount: '2,500.00',
    reason: NOTE_REASON,
  })

  const manager = await scope('partners@ggml.example', 'aurora-edge', 'contracts.draft')
  const today = now().toISOString().slice(0, 10)
  const start = `${Number(today.slice(0, 4)) + 1}-01-01`
  const { version } = await draftContract(manager, {
    title: 'Aurora Edge Systems GGML runtime license',
    kind: 'production_license',
    terms: hybridTerms({
      revenueShare: { percent: '0.50' },
      term: { start, end: `${Number(start.slice(0, 4)) + 2}-12-31`, renewal: { kind: 'none' } },
    }),
  })
  await submitForApproval(manager, version.id)

  const exam = await db().exam.findFirstOrThrow({ orderBy: { slug: 'asc' } })
  await requestAccommodation(await user('reviewer@ggml.example'), {
    email: 'learner@helix.example',
    examSlug: exam.slug,
    extraMinutes: 30,
    reason: 'Dyslexia assessment seen (letter dated last month): 30 extra minutes.',
  })

  const helix = await org('helix-mutual')
  const engagement = await db().engagement.findFirst({
    where: { organizationId: helix, type: 'time_and_materials', status: 'active' },
  })
  if (engagement)
    await submitExpense(
      await scope('consultant@ggml.example', 'helix-mutual', 'expenses.submit'),
      {
        engagementId: engagement.id,
        day: new Date(Date.parse(`${today}T00:00:00Z`) - 2 * 86_400_000).toISOString().slice(0, 10),
        description: 'Hotel for the on-site profiling days',
        amount: '312.40',
      },
      { filename: 'hotel-receipt.png', bytes: PNG },
    )
}
