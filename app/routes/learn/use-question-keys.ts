import { useEffect, useRef } from 'react'

/** Where ← and → already mean something (choosing among radio buttons, moving in a text), they keep it. */
const OWN_ARROWS = 'input, select, textarea, [contenteditable], [role="radiogroup"], [role="listbox"], [role="slider"]'

/**
 * ← and → move to the previous and next question when the focus is not on a control that uses the arrows
 * itself, and never with a modifier (Alt+← is the browser's Back). Arrow keys are not character keys, so
 * they cannot fire by accident from speech input (WCAG 2.1.4).
 */
export function useQuestionKeys(enabled: boolean, move: (step: 1 | -1) => void) {
  const latest = useRef(move)
  useEffect(() => {
    latest.current = move
  })
  useEffect(() => {
    if (!enabled) return
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return
      if (e.target instanceof Element && e.target.closest(OWN_ARROWS)) return
      e.preventDefault()
      latest.current(e.key === 'ArrowRight' ? 1 : -1)
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [enabled])
}
