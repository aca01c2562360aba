import type { TimesheetStatus } from '../platform/db/generated/enums.ts'

export type TimesheetAction = 'submit' | 'approve' | 'reject' | 'lock'

/** Who is asking, in relation to the week: its owner, the engagement's lead, or the services lead. */
export interface Asker {
  isOwner: boolean
  isLead: boolean
  managesServices: boolean
}

const moves: Record<TimesheetAction, { from: TimesheetStatus; to: TimesheetStatus }> = {
  submit: { from: 'draft', to: 'submitted' },
  approve: { from: 'submitted', to: 'approved' },
  reject: { from: 'submitted', to: 'draft' },
  lock: { from: 'approved', to: 'locked' },
}

const article = (s: TimesheetStatus) => (s === 'draft' ? 'a draft' : /^[aeiou]/.test(s) ? `an ${s}` : `a ${s}`)

const stateWords: Record<TimesheetStatus, string> = {
  draft: 'a draft',
  submitted: 'submitted',
  approved: 'approved',
  locked: 'locked',
  invoiced: 'invoiced',
}

/**
 * The timesheet state machine: draft → submitted → approved → locked → invoiced; a rejection sends a
 * submitted week back to draft with its reason. Returns the next state, or why the move is refused in
 * words the person can act on. `invoiced` is reached only by the invoice run.
 */
export function nextTimesheetState(
  status: TimesheetStatus,
  action: TimesheetAction,
  who: Asker,
  opts: { entries: number; reason?: string },
): { ok: true; to: TimesheetStatus } | { ok: false; message: string } {
  const move = moves[action]
  if (status !== move.from) {
    const what = { submit: 'submitted', approve: 'approved', reject: 'rejected', lock: 'locked' }[action]
    return { ok: false, message: `This week is ${stateWords[status]}; only ${article(move.from)} week can be ${what}.` }
  }
  if (action === 'submit') {
    if (!who.isOwner) return { ok: false, message: 'Only the person whose week it is submits it.' }
    if (opts.entries === 0) return { ok: false, message: 'Log some time before submitting the week.' }
  }
  if (action === 'approve' || action === 'reject') {
    if (who.isOwner) return { ok: false, message: 'You cannot decide your own week: the engagement lead does.' }
    if (!who.isLead) return { ok: false, message: 'Only the engagement’s lead approves or rejects its weeks.' }
    if (action === 'reject' && !opts.reason?.trim())
      return { ok: false, message: 'Say why the week is rejected, so it can be fixed.' }
  }
  if (action === 'lock' && !who.isLead && !who.managesServices)
    return { ok: false, message: 'Only the engagement’s lead or the services lead locks approved weeks.' }
  return { ok: true, to: move.to }
}
