import type { Tx } from '../platform/db/client.ts'
import { newId } from '../platform/db/ids.ts'
import { addMonths } from './exam-policy.ts'

/**
 * The certificate of a passed attempt: valid for the exam's months from the attempt's submission,
 * issued at submission or, for a pass a key correction found later, when that correction is made.
 */
export async function issueCertificate(
  tx: Tx,
  attempt: { id: string; organizationId: string; userId: string; examId: string; submittedAt: Date },
  holderName: string,
  validityMonths: number,
  issuedAt: Date,
): Promise<string> {
  const id = newId()
  await tx.certificate.create({
    data: {
      id,
      organizationId: attempt.organizationId,
      userId: attempt.userId,
      examId: attempt.examId,
      attemptId: attempt.id,
      holderName,
      issuedAt,
      expiresAt: addMonths(attempt.submittedAt, validityMonths),
    },
  })
  return id
}
