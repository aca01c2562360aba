import { Button } from '#app/components/ui.tsx'

export const questionState = (answered: boolean, flagged: boolean) =>
  `${answered ? 'answered' : 'unanswered'}${flagged ? ', flagged for review' : ''}`

/** Every question as a button that says whether it is answered or flagged; the one on screen is marked. */
export function QuestionNavigator({
  answered,
  flagged,
  current,
  reviewing,
  onGo,
  onReview,
}: {
  answered: boolean[]
  flagged: ReadonlySet<number>
  current: number
  reviewing: boolean
  onGo: (index: number) => void
  onReview: () => void
}) {
  return (
    <nav className="card question-navigator" aria-labelledby="question-navigator-title">
      <h2 id="question-navigator-title">Questions</h2>
      <ol className="navigator-grid">
        {answered.map((isAnswered, i) => {
          const isFlagged = flagged.has(i)
          const here = i === current && !reviewing
          return (
            <li key={i}>
              <button
                type="button"
                className={[
                  'navigator-button',
                  isAnswered ? 'is-answered' : '',
                  isFlagged ? 'is-flagged' : '',
                  here ? 'is-current' : '',
                ].join(' ')}
                aria-label={`Question ${i + 1}, ${questionState(isAnswered, isFlagged)}`}
                aria-current={here ? 'step' : undefined}
                onClick={() => onGo(i)}
              >
                {i + 1}
                {isFlagged ? <span className="navigator-flag">⚑</span> : null}
              </button>
            </li>
          )
        })}
      </ol>
      <p className="hint navigator-legend">
        <span className="legend-swatch is-answered" /> answered · <span className="legend-swatch" /> unanswered · ⚑
        flagged
      </p>
      <p className="hint">Keys ← and → move between questions when an answer choice does not have the focus.</p>
      {reviewing ? null : (
        <Button type="button" onClick={onReview}>
          Review and submit
        </Button>
      )}
    </nav>
  )
}
