import { macOf } from '../platform/security/platform-secret.ts'

/**
 * What a choice submits in one attempt: an opaque value, keyed to the attempt, the question's position
 * and the bank's choice id under the platform's secret. The bank's ids ("a", "b", …) never reach the
 * browser, so neither a fixed letter nor another candidate's submitted values say anything about the
 * key (issue 26: answering "a" everywhere passed the exam). Stateless: the server recomputes it.
 */
export const choiceValue = (attemptId: string, position: number, choiceId: string): string =>
  macOf('exam-choice', `${attemptId}:${position}:${choiceId}`).slice(0, 16)

/** The bank's choice id a submitted value stands for in this attempt's question, or null. */
export function choiceIdOf(
  attemptId: string,
  position: number,
  choiceOrder: readonly string[],
  value: string,
): string | null {
  return choiceOrder.find((id) => choiceValue(attemptId, position, id) === value) ?? null
}
