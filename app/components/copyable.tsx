import { useEffect, useRef, useState } from 'react'

/** Selects an element's text, for a browser that refuses the clipboard: the person presses Ctrl+C. */
function selectText(element: HTMLElement) {
  const selection = window.getSelection()
  if (!selection) return
  const range = document.createRange()
  range.selectNodeContents(element)
  selection.removeAllRanges()
  selection.addRange(range)
}

/**
 * Text to copy exactly as it is (a secret shown once, a command to run) with a Copy button that
 * says "Copied", or selects the text where the clipboard is refused (plain http, an old browser).
 */
export function CopyableCode({ text, label, block = false }: { text: string; label: string; block?: boolean }) {
  const ref = useRef<HTMLElement>(null)
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle')
  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 4000)
    return () => clearTimeout(timer)
  }, [state])
  async function copy() {
    if (!ref.current) return
    try {
      // navigator.clipboard is absent outside a secure context.
      if (!navigator.clipboard) throw new Error('No clipboard here.')
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      selectText(ref.current)
      setState('selected')
    }
  }
  return (
    <div className="copyable">
      {block ? (
        <pre>
          <code ref={ref}>{text}</code>
        </pre>
      ) : (
        <code ref={ref} className="secret">
          {text}
        </code>
      )}
      <button
        type="button"
        className="btn btn-secondary"
        onClick={copy}
        aria-label={`${state === 'copied' ? 'Copied' : 'Copy'} ${label}`}
      >
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className="hint" role="status">
        {state === 'copied' ? ' Copied to the clipboard.' : state === 'selected' ? ' Selected: press Ctrl+C.' : ''}
      </span>
    </div>
  )
}
