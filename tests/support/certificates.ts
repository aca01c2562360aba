import { db } from '../../services/platform/db/client.ts'
import { newId } from '../../services/platform/db/ids.ts'
import { createOrganization, createUser, unique } from './fixtures.ts'
import { examFixture } from './training.ts'

/**
 * A certificate as a passed exam leaves it (its exam, the learner, the attempt), written straight to the
 * database: for tests of what is shown or shared about a certificate, not of how one is earned.
 */
export async function issuedCertificate(opts: { holderName: string; issuedAt: string; expiresAt: string }) {
  const { exam } = await examFixture({ perDomain: 1, need: 1 })
  const org = await createOrganization('learner', unique('Learner'))
  const user = await createUser(org.id, 'learner')
  const issuedAt = new Date(opts.issuedAt)
  const attempt = await db().examAttempt.create({
    data: {
      id: newId(),
      organizationId: org.id,
      examId: exam.id,
      userId: user.id,
      number: 1,
      seed: unique('seed'),
      status: 'submitted',
      startedAt: issuedAt,
      deadline: new Date(issuedAt.getTime() + 30 * 60_000),
      submittedAt: issuedAt,
      correct: 2,
      total: 2,
      percent: 100,
      passed: true,
    },
  })
  const certificate = await db().certificate.create({
    data: {
      id: newId(),
      organizationId: org.id,
      userId: user.id,
      examId: exam.id,
      attemptId: attempt.id,
      holderName: opts.holderName,
      issuedAt,
      expiresAt: new Date(opts.expiresAt),
    },
  })
  return { certificate, exam }
}
