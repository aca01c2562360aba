import { Button } from '#app/components/ui.tsx'

/** Flag, previous and next under the question on screen; on the last question, the way to the review. */
export function QuestionActions({
  current,
  total,
  flagged,
  onGo,
  onFlag,
  onReview,
}: {
  current: number
  total: number
  flagged: boolean
  onGo: (index: number) => void
  onFlag: () => void
  onReview: () => void
}) {
  return (
    <div className="question-actions">
      <Button type="button" variant="secondary" aria-pressed={flagged} onClick={onFlag}>
        <span aria-hidden="true">⚑</span> Flag for review
      </Button>
      <div className="question-steps">
        <Button type="button" variant="secondary" onClick={() => onGo(current - 1)} disabled={current === 0}>
          <span aria-hidden="true">←</span> Previous<span className="sr-only"> question</span>
        </Button>
        {current === total - 1 ? (
          <Button type="button" onClick={onReview}>
            Review answers
          </Button>
        ) : (
          <Button type="button" onClick={() => onGo(current + 1)}>
            Next<span className="sr-only"> question</span> <span aria-hidden="true">→</span>
          </Button>
        )}
      </div>
    </div>
  )
}
