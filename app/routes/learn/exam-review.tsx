import type { Ref } from 'react'
import { useFetchers, useNavigation } from 'react-router'
import { Button, PostForm } from '#app/components/ui.tsx'

function QuestionLinks({ title, indexes, onGo }: { title: string; indexes: number[]; onGo: (i: number) => void }) {
  if (!indexes.length) return null
  return (
    <>
      <h3>{title}</h3>
      <ul className="review-links">
        {indexes.map((i) => (
          <li key={i}>
            <a
              href={`#question-${i + 1}`}
              onClick={(e) => {
                e.preventDefault()
                onGo(i)
              }}
            >
              Question {i + 1}
            </a>
          </li>
        ))}
      </ul>
    </>
  )
}

/**
 * The last step before the end: what is unanswered and flagged, a way back to each, and the final submit as
 * its own button, after the consequences in words (issue 26: a candidate ended an exam at 4 of 20 by mistake).
 * The submit posts `intent: submit`, as before.
 */
export function ExamReview({
  answered,
  flagged,
  headingRef,
  onGo,
  onBack,
}: {
  answered: boolean[]
  flagged: ReadonlySet<number>
  headingRef: Ref<HTMLHeadingElement>
  onGo: (index: number) => void
  onBack: () => void
}) {
  const total = answered.length
  const unanswered = answered.flatMap((a, i) => (a ? [] : [i]))
  const flaggedList = [...flagged].sort((a, b) => a - b)
  const saving = useFetchers().some((f) => f.state !== 'idle' && f.formData?.get('intent') === 'answer')
  const submitting = useNavigation().state !== 'idle'
  return (
    <section className="card exam-review" aria-labelledby="exam-review-title">
      <h2 id="exam-review-title" ref={headingRef} tabIndex={-1}>
        Review your answers
      </h2>
      <p className="review-summary" data-testid="review-summary">
        <strong>
          {total - unanswered.length} of {total} answered:
        </strong>{' '}
        {unanswered.length} unanswered, {flaggedList.length} flagged
      </p>
      <QuestionLinks title="Unanswered" indexes={unanswered} onGo={onGo} />
      <QuestionLinks title="Flagged for review" indexes={flaggedList} onGo={onGo} />
      <p>
        <Button type="button" variant="secondary" onClick={onBack}>
          Back to the questions
        </Button>
      </p>
      <div className="exam-confirm">
        <h3>End the exam</h3>
        {unanswered.length ? (
          <p className="alert alert-warning" data-testid="unanswered-warning">
            {unanswered.length === 1 ? 'One question is' : `${unanswered.length} questions are`} not answered. An
            unanswered question scores nothing, and once you submit you cannot come back to it.
          </p>
        ) : (
          <p>All {total} questions are answered. Once you submit, you cannot change an answer.</p>
        )}
        {flaggedList.length ? (
          <p>
            {flaggedList.length === 1 ? 'One question is' : `${flaggedList.length} questions are`} still flagged for
            review; the flags do not change your score.
          </p>
        ) : null}
        <PostForm>
          <input type="hidden" name="intent" value="submit" />
          <Button type="submit" variant="danger" disabled={saving || submitting}>
            Submit and end the exam
          </Button>{' '}
          <span className="hint" aria-live="polite">
            {saving ? 'Saving your last answer…' : submitting ? 'Submitting…' : ''}
          </span>
        </PostForm>
      </div>
    </section>
  )
}
