import { useEffect, useRef, type Ref } from 'react'
import { useFetcher } from 'react-router'
import { FormError } from '#app/components/ui.tsx'
import { CsrfInput } from '#app/components/csrf-input.tsx'
import type { action } from './attempt.tsx'
import type { ExamItem } from './exam-types.ts'

/**
 * One question; every change saves the answer at once (intent "answer"). The navigator counts a question
 * as answered when the server has saved a non-empty answer, so the review screen never promises more
 * than will be scored.
 */
export function ExamQuestion({
  item,
  number,
  total,
  hidden,
  headingRef,
  onSaved,
}: {
  item: ExamItem
  number: number
  total: number
  hidden: boolean
  headingRef?: Ref<HTMLHeadingElement>
  onSaved: (position: number, answered: boolean) => void
}) {
  const fetcher = useFetcher<typeof action>()
  const sent = useRef<boolean>(undefined)
  const error = fetcher.data && 'errors' in fetcher.data ? fetcher.data.errors : undefined
  const saved = fetcher.state === 'idle' && fetcher.data && 'saved' in fetcher.data
  useEffect(() => {
    if (saved && sent.current !== undefined) onSaved(item.position, sent.current)
  }, [saved, fetcher.data, onSaved, item.position])
  const headingId = `question-${number}`
  return (
    <div className="card" hidden={hidden}>
      <fetcher.Form
        method="post"
        className="question"
        aria-labelledby={headingId}
        onChange={(e) => {
          sent.current = new FormData(e.currentTarget).getAll('answer').length > 0
          void fetcher.submit(e.currentTarget)
        }}
      >
        <CsrfInput />
        <input type="hidden" name="intent" value="answer" />
        <input type="hidden" name="position" value={item.position} />
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="question-heading">
          Question {number} of {total}
        </h2>
        <fieldset>
          <legend>
            <span className="hint">
              {item.domain} · {item.kind === 'single' ? 'choose one' : 'choose all that apply'}
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
    </div>
  )
}
