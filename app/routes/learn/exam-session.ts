import { useCallback, useEffect, useLayoutEffect, useState } from 'react'

interface Stored {
  current: number
  flagged: number[]
}

/**
 * Where the candidate is and what they flagged for review, kept in this tab's sessionStorage by attempt id.
 * A flag is a note to oneself, never scored and never seen by anyone else, so it stays in the browser: no
 * schema change, nothing more for the server to protect, and it survives a reload but not a closed tab,
 * where losing it costs nothing (issue 26).
 *
 * `ready` is false on the server and in the hydrating render (which must match the server's HTML, where
 * every question is shown so the page still works without JavaScript); a layout effect sets it before the
 * first paint.
 */
export function useExamSession(attemptId: string, questions: number) {
  const key = `exam-session:${attemptId}`
  const [state, setState] = useState({ ready: false, current: 0, flagged: new Set<number>() })
  useLayoutEffect(() => {
    const stored = read(key)
    const inRange = (i: number) => Number.isInteger(i) && i >= 0 && i < questions
    setState({
      ready: true,
      current: stored && inRange(stored.current) ? stored.current : 0,
      flagged: new Set(stored?.flagged.filter(inRange) ?? []),
    })
  }, [key, questions])
  useEffect(() => {
    if (!state.ready) return
    try {
      sessionStorage.setItem(key, JSON.stringify({ current: state.current, flagged: [...state.flagged] }))
    } catch {
      // Storage full or refused (private mode): flags then last as long as the page.
    }
  }, [key, state])
  const goTo = useCallback(
    (i: number) => setState((s) => ({ ...s, current: Math.min(Math.max(i, 0), questions - 1) })),
    [questions],
  )
  const toggleFlag = useCallback(
    (i: number) =>
      setState((s) => {
        const flagged = new Set(s.flagged)
        if (!flagged.delete(i)) flagged.add(i)
        return { ...s, flagged }
      }),
    [],
  )
  return { ...state, goTo, toggleFlag }
}

function read(key: string): Stored | undefined {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(key) ?? 'null')
    if (typeof parsed !== 'object' || parsed === null) return undefined
    const { current, flagged } = parsed as Partial<Stored>
    return {
      current: typeof current === 'number' ? current : 0,
      flagged: Array.isArray(flagged) ? flagged.filter((f): f is number => typeof f === 'number') : [],
    }
  } catch {
    return undefined
  }
}
