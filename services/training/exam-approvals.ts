import { AppError } from '../platform/errors/app-error.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import { errorCode } from '../platform/errors/error-code.ts'

export type ExamApprovalKind = 'accommodation' | 'certificate_revocation'

/**
 * Who decides an exam request (issue 30): never the person who asked; otherwise another instructor who
 * could have asked for it (accommodations, revocations), or an admin.
 */
export function mayDecideExamRequest(
  kind: ExamApprovalKind,
  f: { requester: boolean; instructorFor: { accommodation: boolean; revocation: boolean }; admin: boolean },
): boolean {
  if (f.requester) return false
  if (f.admin) return true
  return kind === 'accommodation' ? f.instructorFor.accommodation : f.instructorFor.revocation
}

export const examDecider = (actor: Actor) => ({
  instructorFor: {
    accommodation: canAsStaff(actor, 'exams.accommodate'),
    revocation: canAsStaff(actor, 'certificates.revoke'),
  },
  admin: canAsStaff(actor, 'admin.view'),
})

/** One open request per candidate and exam, or per certificate (a partial unique index): say which waits. */
export function openRequestConflict(e: unknown, message: string): unknown {
  return errorCode(e) === 'P2002' ? new AppError('conflict', message) : e
}
