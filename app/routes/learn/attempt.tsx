import { Link, type ShouldRevalidateFunctionArgs } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/attempt'
import { FormError, PageHeader } from '#app/components/ui.tsx'
import { attempt, invalid, parseValues, rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { attemptView } from '#services/training/attempt-view.ts'
import { saveAnswer } from '#services/training/save-answer.ts'
import { submitAttempt } from '#services/training/submit-attempt.ts'
import { ExamResult } from './exam-result.tsx'
import { TakeExam } from './take-exam.tsx'

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `${data?.attempt.exam.title ?? 'Exam'} · GGML training` },
]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'training.learn')
  return {
    orgSlug: scope.organization.slug,
    attempt: await attemptView(scope, params.attemptId).catch(rethrowAsResponse),
  }
}

const intents = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('answer'), position: z.coerce.number().int().min(0) }),
  z.object({ intent: z.literal('submit') }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const scope = await requireTenant(context, request, params.orgSlug, 'training.learn')
  const form = await request.formData()
  const parsed = parseValues(Object.fromEntries(form), intents)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(async () => {
    if (parsed.data.intent === 'answer') {
      const answer = form.getAll('answer').filter((a): a is string => typeof a === 'string')
      const saved = await saveAnswer(scope, { attemptId: params.attemptId, position: parsed.data.position, answer })
      return { saved: parsed.data.position, at: saved.savedAt.toISOString() }
    }
    const r = await submitAttempt(scope, { attemptId: params.attemptId })
    return { submitted: true as const, passed: r.passed }
  })
}

// An autosave changes nothing else on the page: the answer is already shown as chosen, so the page's
// data is not fetched again after each one (200 candidates autosaving would otherwise re-render 200 forms).
export function shouldRevalidate({ formData, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return formData?.get('intent') === 'answer' ? false : defaultShouldRevalidate
}

export default function Attempt({ loaderData: { attempt, orgSlug }, actionData }: Route.ComponentProps) {
  const errors = actionData && 'errors' in actionData ? actionData.errors : undefined
  return (
    <>
      <PageHeader
        title={`${attempt.exam.title}, attempt ${attempt.number}`}
        subtitle={attempt.status === 'active' ? 'In progress' : 'Result'}
        actions={<Link to={`/learn/${orgSlug}`}>Your training</Link>}
      />
      <FormError errors={errors} />
      {attempt.status === 'active' ? <TakeExam attempt={attempt} /> : <ExamResult attempt={attempt} />}
    </>
  )
}
