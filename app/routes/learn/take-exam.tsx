import { useCallback, useEffect, useRef, useState } from 'react'
import { useRevalidator } from 'react-router'
import { Button, Notice, PostForm } from '#app/components/ui.tsx'
import { ExamClock, useRemaining } from './exam-clock.tsx'
import { ExamQuestion } from './exam-question.tsx'
import { ExamReview } from './exam-review.tsx'
import { useExamSession } from './exam-session.ts'
import type { ActiveAttempt } from './exam-types.ts'
import { QuestionActions } from './question-actions.tsx'
import { QuestionNavigator } from './question-navigator.tsx'
import { useQuestionKeys } from './use-question-keys.ts'

/** One question at a time, a navigator, a review screen and a confirmed submit (issue 26). Without
 * JavaScript every question is shown, each saved by its own button, with a plain submit at the end. */
export function TakeExam({ attempt }: { attempt: ActiveAttempt }) {
  const { items } = attempt
  const left = useRemaining(attempt.deadline, attempt.serverNow)
  const revalidator = useRevalidator()
  // At the deadline the server submits the attempt (the job); the page follows.
  useEffect(() => {
    if (left === 0) {
      const t = setTimeout(() => void revalidator.revalidate(), 3000)
      return () => clearTimeout(t)
    }
  }, [left, revalidator])

  const { current, flagged, ready, goTo, toggleFlag } = useExamSession(attempt.id, items.length)
  const [reviewing, setReviewing] = useState(false)
  const [answered, setAnswered] = useState(() => items.map((i) => i.answer.length > 0))
  const onSaved = useCallback(
    (position: number, isAnswered: boolean) =>
      setAnswered((a) => {
        const i = items.findIndex((item) => item.position === position)
        return i < 0 || a[i] === isAnswered ? a : a.map((v, j) => (j === i ? isAnswered : v))
      }),
    [items],
  )

  // Focus follows the candidate to the question (or review) they moved to, so a screen reader reads it out.
  const headings = useRef<(HTMLHeadingElement | null)[]>([])
  const reviewHeading = useRef<HTMLHeadingElement>(null)
  const moved = useRef(false)
  useEffect(() => {
    if (!moved.current) return
    moved.current = false
    ;(reviewing ? reviewHeading.current : headings.current[current])?.focus()
  }, [current, reviewing])
  const go = useCallback(
    (i: number) => {
      if (i < 0 || i >= items.length) return
      moved.current = true
      setReviewing(false)
      goTo(i)
    },
    [goTo, items.length],
  )
  const review = () => {
    moved.current = true
    setReviewing(true)
  }
  useQuestionKeys(ready && !reviewing, (step) => go(current + step))

  return (
    <>
      <ExamClock
        left={left}
        deadline={attempt.deadline}
        extraMinutes={attempt.extraMinutes}
        answered={answered.filter(Boolean).length}
        total={items.length}
      />
      {left === 0 && <Notice>The time is up: your saved answers are being submitted.</Notice>}
      <div className="exam-layout">
        <div className="exam-main">
          {ready && reviewing && (
            <ExamReview
              answered={answered}
              flagged={flagged}
              headingRef={reviewHeading}
              onGo={go}
              onBack={() => go(current)}
            />
          )}
          {items.map((item, i) => (
            <ExamQuestion
              key={item.position}
              item={item}
              number={i + 1}
              total={items.length}
              hidden={ready && (reviewing || i !== current)}
              headingRef={(h) => {
                headings.current[i] = h
              }}
              onSaved={onSaved}
            />
          ))}
          {ready && !reviewing && (
            <QuestionActions
              current={current}
              total={items.length}
              flagged={flagged.has(current)}
              onGo={go}
              onFlag={() => toggleFlag(current)}
              onReview={review}
            />
          )}
          <noscript>
            <div className="card">
              <PostForm>
                <input type="hidden" name="intent" value="submit" />
                <p>Submitting ends the exam: unanswered questions score nothing.</p>
                <Button type="submit" variant="danger">
                  Submit and end the exam
                </Button>
              </PostForm>
            </div>
          </noscript>
        </div>
        {ready && (
          <QuestionNavigator
            answered={answered}
            flagged={flagged}
            current={current}
            reviewing={reviewing}
            onGo={go}
            onReview={review}
          />
        )}
      </div>
    </>
  )
}
