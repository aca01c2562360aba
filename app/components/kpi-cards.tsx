import type { ReactNode } from 'react'
import { Stat } from './ui.tsx'

export interface Kpi {
  label: string
  value: ReactNode
  hint?: ReactNode
}

/** A page's headline figures, each in its own card; a figure that does not apply is left out. */
export function KpiCards({ figures, className = 'grid' }: { figures: (Kpi | false | null)[]; className?: string }) {
  return (
    <div className={className}>
      {figures.map((f) => f && <Stat key={f.label} label={f.label} value={f.value} hint={f.hint} />)}
    </div>
  )
}
