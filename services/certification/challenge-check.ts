import {
  CHALLENGE_FIXED_MS,
  CHALLENGE_KINDS,
  CHALLENGE_MIN_CLAIMED_MS,
  CHALLENGE_SLACK,
  challengeAllowance,
} from '../../certification-lab/benchmark/challenge.ts'

export interface ChallengeRow {
  id: string
  kind: string
  attempt: number
  claimedPp: number
  claimedTg: number
  nPrompt: number
  nGen: number
  rounds: number
  roundTripMs: number | null
  elapsedMs: number | null
}

/** As upload-result's Check (not imported: upload-result imports this module). */
interface Check {
  check: string
  ok: boolean
  detail: string
  review?: boolean
}

const ms = (x: number) => `${Math.round(x)} ms`
const ts = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1))

/**
 * The timed-challenge checks of a result (decision 019), and the challenges the worker recomputes.
 * For each kind (pp: a long prompt; tg: a long continuation), among the job's answered challenges
 * sized for at least the speed the result claims, the one answered fastest against its allowance.
 * Refused with both figures when one kind was not answered in time: the speed claimed, and the
 * share of it the machine showed. A claim too fast for the challenge to time (its claimed time
 * under CHALLENGE_MIN_CLAIMED_MS even at the largest size) is flagged for review: a lab run decides.
 */
export function timedChallengeCheck<Row extends ChallengeRow>(
  challenges: Row[],
  claimed: { pp: number; tg: number },
): { checks: Check[]; chosen: Row[] } {
  const parts: string[] = []
  const late: string[] = []
  const untimeable: string[] = []
  const chosen: Row[] = []
  for (const kind of CHALLENGE_KINDS) {
    const speed = kind === 'pp' ? claimed.pp : claimed.tg
    const sizedFor = (c: ChallengeRow) => (kind === 'pp' ? c.claimedPp : c.claimedTg)
    const answered = challenges.filter((c) => c.kind === kind && c.elapsedMs !== null && c.roundTripMs !== null)
    if (!answered.length) {
      late.push(`no ${kind} challenge answered for this job: run the current runner`)
      continue
    }
    const covering = answered.filter((c) => speed <= sizedFor(c) * (1 + 1e-9))
    if (!covering.length) {
      late.push(
        `the result claims ${kind} ${ts(speed)} t/s, more than its challenge was sized for ` +
          `(${ts(Math.max(...answered.map(sizedFor)))} t/s)`,
      )
      continue
    }
    const judged = covering
      .map((c) => ({
        c,
        a: challengeAllowance(kind, { pp: c.claimedPp, tg: c.claimedTg }, c, c.roundTripMs!),
      }))
      .sort((x, y) => x.c.elapsedMs! / x.a.allowedMs - y.c.elapsedMs! / y.a.allowedMs)
    const { c, a } = judged[0]!
    const times = c.rounds > 1 ? `${c.rounds} × ` : ''
    const work = kind === 'pp' ? `${times}a ${c.nPrompt}-token prompt` : `${times}${c.nGen} generated tokens`
    const formula =
      `${ms(a.claimedMs)} at ${kind} ${ts(sizedFor(c))} t/s × ${CHALLENGE_SLACK} + round trip ` +
      `${ms(a.roundTripMs)} + ${ms(a.stepsMs)} for ${c.rounds * (c.nGen + 1)} steps + ${CHALLENGE_FIXED_MS} ms`
    const tries = judged.length > 1 ? `, the fastest of ${judged.length} attempts` : ''
    if (c.elapsedMs! <= a.allowedMs) {
      chosen.push(c)
      parts.push(`${work} in ${ms(c.elapsedMs!)}${tries}, within the ${ms(a.allowedMs)} allowed (${formula})`)
      if (!a.timeable)
        untimeable.push(
          `${kind} ${ts(speed)} t/s takes ${ms(a.claimedMs)} on the largest ${kind} challenge, under the ` +
            `${CHALLENGE_MIN_CLAIMED_MS} ms (and four times the per-step allowance) the challenge needs to ` +
            `tell a claim from one several times larger`,
        )
    } else {
      // What the machine showed: the claimed time over the time it took, the round trip taken off.
      const shown = a.claimedMs / Math.max(1, c.elapsedMs! - a.roundTripMs)
      late.push(
        `the claimed ${kind} ${ts(sizedFor(c))} t/s allows ${ms(a.allowedMs)} for ${work} (${formula}); it took ` +
          `${ms(c.elapsedMs!)}${tries}: the machine ran it at about ${Math.round(shown * 100)}% of the claimed speed`,
      )
    }
  }
  const checks: Check[] = [
    late.length
      ? { check: 'timed challenge', ok: false, detail: late.join('; ') }
      : { check: 'timed challenge', ok: true, detail: `answered fresh challenges: ${parts.join('; ')}` },
  ]
  if (!late.length && untimeable.length)
    checks.push({
      check: 'beyond the challenge',
      ok: true,
      review: true,
      detail: `${untimeable.join('; ')}: held for a run by ggml’s lab`,
    })
  return { checks, chosen: late.length ? [] : chosen }
}
