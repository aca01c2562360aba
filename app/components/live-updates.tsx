import { useEffect, useState } from 'react'
import { useRevalidator } from 'react-router'

/**
 * Reloads the page's data every few seconds while something it shows is in progress (a runner
 * measuring), and only while the tab is visible: the page stays live without a socket, and
 * stops asking once the work is done.
 */
export function useLiveWhile(active: boolean, everyMs = 2000) {
  const revalidator = useRevalidator()
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle' && document.visibilityState === 'visible') void revalidator.revalidate()
    }, everyMs)
    return () => clearInterval(timer)
  }, [active, everyMs, revalidator])
}

/**
 * The last value that was defined: a live page's revalidations clear useActionData, which took a
 * one-time runner token and a form's errors off the page within a second (issue 10). Keep them
 * until the next action answers.
 */
export function useKept<T>(value: T | undefined): T | undefined {
  const [kept, setKept] = useState(value)
  if (value !== undefined && value !== kept) setKept(value)
  return value ?? kept
}
