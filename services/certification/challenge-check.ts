import { CHALLENGE_FIXED_MS, CHALLENGE_SLACK, challengeAllowance } from '../../certification-lab/benchmark/challenge.ts'

interface ChallengeRow {
  id: string
  attempt: number
  claimedPp: number
  claimedTg: number
  nPrompt: number
  nGen: number
  roundTripMs: number | null
  elapsedMs: number | null
}

const ms = (x: number) => `${Math.round(x)} ms`
const ts = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1))

/**
 * The timed-challenge check of a result (decision 019), and the challenge the worker recomputes:
 * among the job's answered challenges, those sized for at least the speeds the result claims; of
 * those, the one answered fastest against its allowance. Refused with both figures when none was
 * answered in time: the speeds claimed, and the share of them the machine showed.
 */
export function timedChallengeCheck(
  challenges: ChallengeRow[],
  claimed: { pp: number; tg: number },
): { check: { check: string; ok: boolean; detail: string }; chosen: ChallengeRow | null } {
  const fail = (detail: string) => ({ check: { check: 'timed challenge', ok: false, detail }, chosen: null })
  const answered = challenges.filter((c) => c.elapsedMs !== null && c.roundTripMs !== null)
  if (!answered.length) return fail('no timed challenge answered for this job: run the current runner')
  const covering = answered.filter(
    (c) => claimed.pp <= c.claimedPp * (1 + 1e-9) && claimed.tg <= c.claimedTg * (1 + 1e-9),
  )
  if (!covering.length) {
    const c = answered[0]!
    return fail(
      `the result claims pp ${ts(claimed.pp)} and tg ${ts(claimed.tg)} t/s, more than the challenge was sized ` +
        `for (pp ${ts(c.claimedPp)}, tg ${ts(c.claimedTg)} t/s)`,
    )
  }
  const judged = covering
    .map((c) => ({ c, a: challengeAllowance({ pp: c.claimedPp, tg: c.claimedTg }, c, c.roundTripMs!) }))
    .sort((x, y) => x.c.elapsedMs! / x.a.allowedMs - y.c.elapsedMs! / y.a.allowedMs)
  const { c, a } = judged[0]!
  const inTime = c.elapsedMs! <= a.allowedMs
  // What the machine showed: the claimed time over the time it took, the round trip taken off.
  const shown = a.claimedMs / Math.max(1, c.elapsedMs! - a.roundTripMs)
  const work = `${c.nPrompt} prompt and ${c.nGen} generated tokens`
  const formula =
    `${ms(a.claimedMs)} at the claimed speeds × ${CHALLENGE_SLACK} + round trip ${ms(a.roundTripMs)} + ` +
    `${CHALLENGE_FIXED_MS} ms`
  const tries = judged.length > 1 ? ` (the fastest of ${judged.length} attempts)` : ''
  return {
    check: {
      check: 'timed challenge',
      ok: inTime,
      detail: inTime
        ? `answered a fresh challenge of ${work} in ${ms(c.elapsedMs!)}${tries}, within the ${ms(a.allowedMs)} ` +
          `allowed (${formula})`
        : `the claimed pp ${ts(c.claimedPp)} and tg ${ts(c.claimedTg)} t/s allow ${ms(a.allowedMs)} for a ` +
          `challenge of ${work} (${formula}); it took ${ms(c.elapsedMs!)}${tries}: the machine ran it at ` +
          `about ${Math.round(shown * 100)}% of the claimed speed`,
    },
    chosen: inTime ? c : null,
  }
}
