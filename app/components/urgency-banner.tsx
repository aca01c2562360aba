import type { ReactNode } from 'react'
import type { Urgency } from '#services/kernel/calendar/urgency.ts'

/**
 * A deadline with money behind it, coloured by the one urgency rule (services/kernel/calendar/urgency.ts):
 * amber under 30 days, red under 7 or overdue. Calm deadlines show no banner; the page's own cards
 * carry them.
 */
export function UrgencyBanner({
  urgency,
  title,
  children,
  action,
}: {
  urgency: Urgency
  title: ReactNode
  children?: ReactNode
  /** The one thing to do about it: a link. */
  action?: ReactNode
}) {
  if (urgency === 'calm') return null
  return (
    <div
      className={`urgency-banner urgency-${urgency}`}
      data-urgency={urgency}
      role={urgency === 'red' ? 'alert' : 'status'}
    >
      <p className="urgency-title">
        <strong>{title}</strong>
      </p>
      {children}
      {action && <p className="urgency-action">{action}</p>}
    </div>
  )
}
