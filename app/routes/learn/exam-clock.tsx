import { useEffect, useState } from 'react'

const WARN_MS = 5 * 60_000

/** Time left by the server's clock: its "now" at load plus the time elapsed here (monotonic), so a wrong
 * clock on the candidate's computer changes nothing. */
export function useRemaining(deadline: string, serverNow: string) {
  const total = new Date(deadline).getTime() - new Date(serverNow).getTime()
  const [left, setLeft] = useState(total)
  useEffect(() => {
    const loadedAt = performance.now()
    setLeft(total)
    const t = setInterval(() => setLeft(total - (performance.now() - loadedAt)), 1000)
    return () => clearInterval(t)
  }, [total])
  return Math.max(0, left)
}

const countdown = (ms: number) => {
  const s = Math.ceil(ms / 1000)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`
}

const LOCAL: Intl.DateTimeFormatOptions = {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
}

/** The deadline in UTC from the server, then in the candidate's own zone and language once the page runs in
 * their browser: the server knows neither, and the first render in the browser must match the server's. */
function Deadline({ iso }: { iso: string }) {
  const [local, setLocal] = useState<string>()
  useEffect(() => setLocal(new Intl.DateTimeFormat(undefined, LOCAL).format(new Date(iso))), [iso])
  return (
    <time dateTime={iso} data-testid="deadline">
      {local ?? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`}
    </time>
  )
}

export function ExamClock({
  left,
  deadline,
  extraMinutes,
  answered,
  total,
}: {
  left: number
  deadline: string
  extraMinutes: number | null
  answered: number
  total: number
}) {
  const warn = left > 0 && left < WARN_MS
  return (
    <div className={`exam-bar${warn ? ' exam-bar-warn' : ''}`}>
      <p className="exam-bar-time">
        Time left{' '}
        <strong role="timer" aria-live="off" data-testid="time-left">
          {countdown(left)}
        </strong>
        {extraMinutes ? <span className="hint"> includes {extraMinutes} extra minutes</span> : null}
      </p>
      <p className="exam-bar-deadline">
        Ends <Deadline iso={deadline} />
      </p>
      <p className="exam-bar-count" data-testid="answered-count">
        {answered} of {total} answered
      </p>
      {/* Appears once, so a screen reader announces it once. */}
      <p role="status" className={warn ? 'exam-bar-warning' : 'sr-only'}>
        {warn ? 'Less than 5 minutes left.' : ''}
      </p>
    </div>
  )
}
