import { describe, expect, it } from 'vitest'
import type { TimesheetStatus } from '../platform/db/generated/enums.ts'
import { nextTimesheetState, type Asker, type TimesheetAction } from './timesheet-rules.ts'

const owner: Asker = { isOwner: true, isLead: false, managesServices: false }
const lead: Asker = { isOwner: false, isLead: true, managesServices: false }
const ownLead: Asker = { isOwner: true, isLead: true, managesServices: true }
const servicesLead: Asker = { isOwner: false, isLead: false, managesServices: true }
const colleague: Asker = { isOwner: false, isLead: false, managesServices: false }
const week = { entries: 3, reason: 'Task names are missing' }

// Every state × action × asker the table names: the next state, or the message a person reads.
const table: [TimesheetStatus, TimesheetAction, Asker, object, TimesheetStatus | RegExp][] = [
  ['draft', 'submit', owner, week, 'submitted'],
  ['draft', 'submit', owner, { entries: 0 }, /Log some time/],
  ['draft', 'submit', lead, week, /Only the person whose week/],
  ['draft', 'approve', lead, week, /This week is a draft; only a submitted week can be approved/],
  ['draft', 'reject', lead, week, /only a submitted week can be rejected/],
  ['draft', 'lock', lead, week, /only an approved week can be locked/],
  ['submitted', 'submit', owner, week, /This week is submitted; only a draft week can be submitted/],
  ['submitted', 'approve', lead, week, 'approved'],
  ['submitted', 'approve', owner, week, /cannot decide your own week/],
  ['submitted', 'approve', ownLead, week, /cannot decide your own week/],
  ['submitted', 'approve', colleague, week, /Only the engagement’s lead/],
  ['submitted', 'approve', servicesLead, week, /Only the engagement’s lead/],
  ['submitted', 'reject', lead, week, 'draft'],
  ['submitted', 'reject', lead, { entries: 3, reason: ' ' }, /Say why/],
  ['submitted', 'lock', lead, week, /only an approved week can be locked/],
  ['approved', 'approve', lead, week, /This week is approved; only a submitted week/],
  ['approved', 'reject', lead, week, /This week is approved; only a submitted week can be rejected/],
  ['approved', 'submit', owner, week, /This week is approved/],
  ['approved', 'lock', lead, week, 'locked'],
  ['approved', 'lock', servicesLead, week, 'locked'],
  ['approved', 'lock', colleague, week, /Only the engagement’s lead or the services lead/],
  ['locked', 'lock', lead, week, /This week is locked/],
  ['locked', 'reject', lead, week, /This week is locked/],
  ['invoiced', 'reject', lead, week, /This week is invoiced/],
  ['invoiced', 'submit', owner, week, /This week is invoiced/],
]

describe('the timesheet state machine', () => {
  it.each(table)('%s, %s → %s', (status, action, who, opts, expected) => {
    const r = nextTimesheetState(status, action, who, opts as { entries: number })
    if (typeof expected === 'string') expect(r).toEqual({ ok: true, to: expected })
    else {
      expect(r.ok).toBe(false)
      expect(r.ok ? '' : r.message).toMatch(expected)
    }
  })
})
