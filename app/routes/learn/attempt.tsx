import { useEffect, useState } from 'react'
import { Link, useFetcher, useRevalidator, type ShouldRevalidateFunctionArgs } from 'react-router'
import { z } from 'zod'
import type { Route } from './+types/attempt'
import { Button, Card, FormError, Notice, PageHeader, PostForm } from '#app/components/ui.tsx'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import { fromAppError, invalid, parseValues, rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireTenant } from '#app/lib/tenant.server.ts'
import { attemptView } from '#services/training/attempt-view.ts'
import { saveAnswer } from '#services/training/save-answer.ts'
import { submitAttempt } from '#services/training/submit-attempt.ts'

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
  try {
    if (parsed.data.intent === 'answer') {
      const answer = form.getAll('answer').filter((a): a is string => typeof a === 'string')
      const saved = await saveAnswer(scope, { attemptId: params.attemptId, position: parsed.data.position, answer })
      return { saved: parsed.data.position, at: saved.savedAt.toISOString() }
    }
    const r = await submitAttempt(scope, { attemptId: params.attemptId })
    return { submitted: true as const, passed: r.passed }
  } catch (e) {
    return fromAppError(e)
  }
}

// An autosave changes nothing else on the page: the answer is already shown as chosen, so the page's
// data is not fetched again after each one (200 candidates autosaving would otherwise re-render 200 forms).
export function shouldRevalidate({ formData, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return formData?.get('intent') === 'answer' ? false : defaultShouldRevalidate
}

/** Time left by the server's clock: the server's "now" at load, plus the time elapsed here (monotonic). */
function useRemaining(deadline: string, serverNow: string) {
  const total = new Date(deadline).getTime() - new Date(serverNow).getTime()
  const [left, setLeft] = useState(total)
  useEffect(() => {
    const loadedAt = performance.now()
    const t = setInterval(() => setLeft(total - (performance.now() - loadedAt)), 1000)
    return () => clearInterval(t)
  }, [total])
  return Math.max(0, left)
}

const clock = (ms: number) => {
  const s = Math.floor(ms / 1000)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`
}

type Active = Extract<Route.ComponentProps['loaderData']['attempt'], { status: 'active' }>

function Question({ item }: { item: Active['items'][number] }) {
  const fetcher = useFetcher<typeof action>()
  const error = fetcher.data && 'errors' in fetcher.data ? fetcher.data.errors : undefined
  const saved = fetcher.state === 'idle' && fetcher.data && 'saved' in fetcher.data
  return (
    <fetcher.Form method="post" onChange={(e) => fetcher.submit(e.currentTarget)} className="question">
      <CsrfInput />
      <input type="hidden" name="intent" value="answer" />
      <input type="hidden" name="position" value={item.position} />
      <fieldset>
        <legend>
          <span className="hint">
            Question {item.position + 1} · {item.domain} ·{' '}
            {item.kind === 'single' ? 'choose one' : 'choose all that apply'}
          </span>
          <br />
          {item.stem}
        </legend>
        {item.choices.map((c) => (
          <label key={c.id} className="choice">
            <input
              type={item.kind === 'single' ? 'radio' : 'checkbox'}
              name="answer"
              value={c.id}
              defaultChecked={item.answer.includes(c.id)}
            />{' '}
            {c.text}
          </label>
        ))}
      </fieldset>
      <p className="hint" aria-live="polite">
        {fetcher.state !== 'idle' ? 'Saving…' : saved ? 'Saved.' : item.answer.length ? 'Saved earlier.' : ''}
      </p>
      <FormError errors={error} />
      <noscript>
        <button type="submit">Save answer</button>
      </noscript>
    </fetcher.Form>
  )
}

function TakeExam({ attempt }: { attempt: Active }) {
  const left = useRemaining(attempt.deadline, attempt.serverNow)
  const revalidator = useRevalidator()
  // At the deadline the server submits the attempt (the job); the page follows.
  useEffect(() => {
    if (left === 0) {
      const t = setTimeout(() => void revalidator.revalidate(), 3000)
      return () => clearTimeout(t)
    }
  }, [left, revalidator])
  return (
    <>
      <div className="countdown" role="timer" aria-live="off">
        Time left: <strong data-testid="time-left">{clock(left)}</strong>
        {attempt.extraMinutes ? ` (includes ${attempt.extraMinutes} extra minutes)` : ''} · deadline{' '}
        {new Date(attempt.deadline).toUTCString()}
      </div>
      {left === 0 && <Notice>The time is up: your saved answers are being submitted.</Notice>}
      {attempt.items.map((i) => (
        <Card key={i.position}>
          <Question item={i} />
        </Card>
      ))}
      <Card>
        <PostForm>
          <input type="hidden" name="intent" value="submit" />
          <p>Answers are saved as you give them. Submitting ends the attempt.</p>
          <Button type="submit">Submit the exam</Button>
        </PostForm>
      </Card>
    </>
  )
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
      {attempt.status === 'active' ? (
        <TakeExam attempt={attempt} />
      ) : (
        <Card title={attempt.result.passed ? 'You passed' : 'Not passed this time'}>
          <p data-testid="score">
            {`${attempt.result.correct} of ${attempt.result.total} correct (${attempt.result.percent}%); `}
            {`the pass mark is ${attempt.exam.passPercent}%.`}
            {attempt.result.submittedBy === 'deadline' ? ' Submitted at the deadline.' : ''}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col" className="num">
                  Score
                </th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(attempt.result.domains).map(([domain, s]) => (
                <tr key={domain}>
                  <td>{domain}</td>
                  <td className="num">
                    {s.correct} / {s.total}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {attempt.result.certificate ? (
            <p>
              <Link to={`/certificates/${attempt.result.certificate.id}`}>Your certificate</Link>, valid until{' '}
              {attempt.result.certificate.expiresAt.slice(0, 10)}.
            </p>
          ) : (
            <p>
              Your training page says when you can retake. The exam's policy keeps questions and keys confidential, so
              scores are given per domain.
            </p>
          )}
        </Card>
      )}
    </>
  )
}
