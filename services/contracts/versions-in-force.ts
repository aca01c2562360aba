/**
 * Which signed version governs which days of a period. A version is in force from its effective
 * date until the next signed version's; of two with the same date, the later version wins. A period
 * that an amendment splits yields two segments, each rated under its own terms.
 */
export interface VersionRef {
  id: string
  version: number
  effectiveFrom: string // YYYY-MM-DD
  state: string
}

export interface InForceSegment {
  versionId: string | null
  /** Inclusive start, exclusive end, as YYYY-MM-DD. versionId null: no signed terms cover these days. */
  from: string
  to: string
}

export function versionsInForce(versions: VersionRef[], from: string, to: string): InForceSegment[] {
  if (to <= from) throw new RangeError(`empty period ${from}..${to}`)
  const signed = versions
    .filter((v) => v.state === 'signed')
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.version - b.version)
  // Collapse same-day versions to the latest one.
  const timeline = signed.filter((v, i) => signed[i + 1]?.effectiveFrom !== v.effectiveFrom)
  const segments: InForceSegment[] = []
  const push = (versionId: string | null, a: string, b: string) => {
    if (b <= a) return
    const prev = segments[segments.length - 1]
    if (prev && prev.versionId === versionId && prev.to === a) prev.to = b
    else segments.push({ versionId, from: a, to: b })
  }
  const firstStart = timeline[0]?.effectiveFrom ?? to
  push(null, from, firstStart < to ? (firstStart > from ? firstStart : from) : to)
  timeline.forEach((v, i) => {
    const start = v.effectiveFrom > from ? v.effectiveFrom : from
    const nextStart = timeline[i + 1]?.effectiveFrom ?? to
    const end = nextStart < to ? nextStart : to
    push(v.id, start, end)
  })
  return segments
}

/** The single version in force on a day, or null. */
export function versionOnDay(versions: VersionRef[], day: string): string | null {
  const next = new Date(`${day}T00:00:00Z`)
  next.setUTCDate(next.getUTCDate() + 1)
  return versionsInForce(versions, day, next.toISOString().slice(0, 10))[0]?.versionId ?? null
}
