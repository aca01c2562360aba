import { useEffect } from 'react'
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
