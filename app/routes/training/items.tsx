import { Form, Link, useActionData, useSearchParams } from 'react-router'
import { z } from 'zod'
import { RowAction } from '#app/components/row-actions.tsx'
import type { Route } from './+types/items'
import { Pager } from '#app/components/pager.tsx'
import { Button, Card, Field, Notice, PageHeader, PostForm, SelectField, TextAreaField } from '#app/components/ui.tsx'
import { attempt, formKeyOf, invalid, parseValues, rethrowAsResponse } from '#app/lib/forms.server.ts'
import { requireStaff } from '#app/lib/session.server.ts'
import { canAsStaff } from '#services/identity/actor.ts'
import { authorItem } from '#services/training/author-item.ts'
import { correctItemKey } from '#services/training/correct-item-key.ts'
import { itemBank } from '#services/training/item-bank.ts'
import { lintVersionsInReview } from '#services/training/lint-exam-bank.ts'
import { pageParam, searchParam } from '#services/platform/paging.ts'
import { retireItem, retireItemSchema, reviewItem } from '#services/training/review-item.ts'
import type { LintFinding } from '#services/training/lint-item-bank.ts'
import { LintFindings } from './lint-findings.tsx'

export const meta: Route.MetaFunction = ({ data }) => [
  { title: `Item bank: ${data?.bank.exam.title ?? ''} · Training` },
]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const actor = requireStaff(context, request, 'training.view')
  const search = new URL(request.url).searchParams
  // ?waiting=review: only the items with a version waiting for review (the training home links here; issue 29).
  const waiting = search.get('waiting') === 'review'
  const q = searchParam(search.get('q'))
  const bank = await itemBank(actor, params.examSlug, { waiting, q, page: pageParam.parse(search.get('page')) }).catch(
    rethrowAsResponse,
  )
  return {
    bank,
    waiting,
    q,
    totalItems: bank.totalItems,
    lintInReview: lintVersionsInReview(bank.items),
    canAuthor: canAsStaff(actor, 'items.author'),
    canReview: canAsStaff(actor, 'items.review'),
    canCorrect: canAsStaff(actor, 'exams.correct_key'),
  }
}

const intents = z.discriminatedUnion('intent', [
  // The item's fields are checked by authorItemSchema in the use case (its errors come back per field).
  z.object({ intent: z.literal('author') }),
  z.object({
    intent: z.literal('review'),
    versionId: z.string().min(1),
    decision: z.enum(['approve', 'reject']),
    note: z.string().max(1000).optional(),
  }),
  retireItemSchema.extend({ intent: z.literal('retire') }),
  z.object({
    intent: z.literal('correct'),
    versionId: z.string().min(1),
    key: z.string().min(1, 'Give the correct choice letters, e.g. b or a,c.'),
    reason: z.string(),
  }),
])

export async function action({ context, request, params }: Route.ActionArgs) {
  const actor = requireStaff(context, request, 'training.view')
  const form = Object.fromEntries(await request.formData())
  const parsed = parseValues(form, intents)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(
    async () => {
      const d = parsed.data
      if (d.intent === 'author') {
        const r = await authorItem(actor, { ...form, examSlug: params.examSlug } as Parameters<typeof authorItem>[1])
        return { notice: `Version ${r.version} written and sent to a second instructor for review.` }
      }
      if (d.intent === 'review') {
        const r =
          d.decision === 'approve'
            ? await reviewItem(actor, { versionId: d.versionId, decision: 'approve', note: d.note })
            : await reviewItem(actor, { versionId: d.versionId, decision: 'reject', note: d.note ?? '' })
        return { notice: `The version is ${r.state}.` }
      }
      if (d.intent === 'retire') {
        await retireItem(actor, d)
        return { notice: 'Item retired: new forms no longer draw it.' }
      }
      const r = await correctItemKey(actor, {
        versionId: d.versionId,
        key: d.key.split(/[\s,]+/).filter(Boolean),
        reason: d.reason,
      })
      return {
        notice: `Key corrected: ${r.rescored} attempts re-scored, ${r.changed} results changed (candidates told).`,
      }
    },
    { form: formKeyOf(form) },
  )
}

/** The version's own item-lint findings, read before approving it (issue 26). */
function ReviewLint({ findings }: { findings: LintFinding<string>[] }) {
  if (!findings.length) return <p className="hint">Item lint: no findings.</p>
  return (
    <div className="review-lint">
      <p className="hint">Item lint, before you approve:</p>
      <LintFindings findings={findings} label="Item lint" />
    </div>
  )
}

export default function Items({
  loaderData: { bank, waiting, q, totalItems, lintInReview, canAuthor, canReview, canCorrect },
}: Route.ComponentProps) {
  const result = useActionData<typeof action>()
  const [params] = useSearchParams()
  const errors = result && 'errors' in result ? result.errors : undefined
  return (
    <>
      <PageHeader
        title={`Item bank: ${bank.exam.title}`}
        subtitle={
          `${bank.exam.formsAssembled} forms drawn; ` +
          `an item appears on at most ${bank.exam.maxExposurePercent}% of forms.`
        }
        actions={<Link to={`/training/exams/${bank.exam.slug}/statistics`}>Statistics</Link>}
      />
      {result && 'notice' in result && <Notice>{result.notice}</Notice>}
      <p className="hint" role="status">
        {waiting ? (
          <>
            Showing the {bank.page.total} item(s) waiting for review of {totalItems}.{' '}
            <Link to={`/training/exams/${bank.exam.slug}/items`}>Show every item</Link>
          </>
        ) : (
          <>
            {totalItems} items, {bank.waitingItems} waiting for review.{' '}
            <Link to={`/training/exams/${bank.exam.slug}/items?waiting=review`}>Only those waiting for review</Link>
          </>
        )}
      </p>
      <Card title="Blueprint coverage">
        <ul>
          {bank.domains.map((d) => (
            <li key={d.domain}>
              {d.domain}: {d.live} live items for {d.perForm} per form
            </li>
          ))}
        </ul>
      </Card>
      {canAuthor && (
        <Card title="Write an item">
          <PostForm errors={errors} formKey="author">
            <input type="hidden" name="intent" value="author" />
            <Field label="Domain" name="domain" defaultValue={bank.domains[0]?.domain} />
            <SelectField
              label="Kind"
              name="kind"
              options={[
                { value: 'single', label: 'Single choice' },
                { value: 'multiple', label: 'Multiple response' },
              ]}
            />
            <Field label="Question" name="stem" />
            <TextAreaField label="Choices, one per line" name="choices" rows={4} />
            <Field label="Correct choice numbers (e.g. 2, or 1, 3)" name="key" />
            <Field label="Explanation (for reviewers; never shown to candidates)" name="explanation" />
            <Field label="Difficulty (1–5)" name="difficulty" type="number" defaultValue="3" />
            <Field label="Tags (comma separated)" name="tags" />
            <Button type="submit">Send to review</Button>
          </PostForm>
        </Card>
      )}
      <Form method="get" className="filters" role="search">
        {waiting && <input type="hidden" name="waiting" value="review" />}
        <div className="field">
          <label htmlFor="item-search">Question, domain or tag contains</label>
          <input id="item-search" name="q" type="search" defaultValue={q ?? params.get('q') ?? ''} />
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </Form>
      <Pager {...bank.page} noun="items" />
      {bank.items.map((item) => (
        <Card key={item.id}>
          {/* One line per item, its versions on opening: fifty items with every version, choice and form
              shown made a 20,000-px page of the demo (issue 29). What waits for a review opens by itself. */}
          <details className="item-bank-item" open={item.versions.some((v) => v.state === 'in_review') || undefined}>
            <summary>
              <strong>{item.versions[0]?.stem}</strong>{' '}
              <span className="hint">
                {item.domain} · v{item.versions[0]?.version} {item.versions[0]?.state.replace('_', ' ')} · on{' '}
                {item.exposureCount} forms{item.retired ? ' · retired' : ''}
              </span>
            </summary>
            {item.versions.map((v) => (
              <div key={v.id} className="item-version" data-state={v.state}>
                <p>
                  <strong>
                    v{v.version} · {v.state.replace('_', ' ')}
                  </strong>{' '}
                  by {v.author}
                  {v.reviewer ? `, reviewed by ${v.reviewer}` : ''} ·{' '}
                  {v.kind === 'single' ? 'single choice' : 'multiple response'}, difficulty {v.difficulty}
                </p>
                <p>{v.stem}</p>
                <ol type="a">
                  {v.choices.map((c) => (
                    <li key={c.id}>
                      {c.text} {v.key.includes(c.id) ? '✓ key' : ''}
                    </li>
                  ))}
                </ol>
                <p className="hint">Explanation: {v.explanation}</p>
                {v.reviewNote && <p className="hint">Review note: {v.reviewNote}</p>}
                {canReview && v.state === 'in_review' && !v.authorIsMe && (
                  <PostForm errors={errors} formKey={`review-${v.id}`}>
                    <input type="hidden" name="intent" value="review" />
                    <input type="hidden" name="versionId" value={v.id} />
                    <ReviewLint findings={lintInReview[v.id] ?? []} />
                    <Field label="Note to the author" name="note" />
                    <Button type="submit" name="decision" value="approve">
                      Approve v{v.version}
                    </Button>{' '}
                    <Button type="submit" name="decision" value="reject" variant="secondary">
                      Send back
                    </Button>
                  </PostForm>
                )}
                {v.state === 'in_review' && v.authorIsMe && <p className="hint">Waiting for another instructor.</p>}
                {canCorrect && v.state === 'live' && (
                  <details>
                    <summary>Correct this version's key (re-scores attempts)</summary>
                    <PostForm errors={errors} formKey={`correct-${v.id}`}>
                      <input type="hidden" name="intent" value="correct" />
                      <input type="hidden" name="versionId" value={v.id} />
                      <Field label="Correct choice letters (e.g. b, or a,c)" name="key" />
                      <Field label="Reason (candidates are told)" name="reason" />
                      <Button type="submit" variant="danger">
                        Correct and re-score
                      </Button>
                    </PostForm>
                  </details>
                )}
              </div>
            ))}
            {canReview && !item.retired && (
              <RowAction
                fields={{ intent: 'retire', itemId: item.id }}
                label="Retire this item"
                errors={errors}
                formKey={`retire-${item.id}`}
              />
            )}
          </details>
        </Card>
      ))}
      {bank.page.pageCount > 1 && <Pager {...bank.page} noun="items" />}
    </>
  )
}
