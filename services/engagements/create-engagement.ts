import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { newId } from '../platform/db/ids.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { assertCanAsStaff } from '../tenancy/tenant-guard.ts'
import { currencyCodes, minorDigits } from '../kernel/money/currency.ts'
import { decimalMessage, parseDecimal } from '../kernel/money/decimal.ts'
import { now } from '../platform/clock.ts'
import { engagementCustomerKinds } from './list-engagement-customers.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Enter a date like 2027-03-01.')

export const engagementSchema = z.object({
  organizationId: z.string().trim().min(1, 'Choose the customer.').max(64),
  title: z.string().trim().min(3, 'Name the engagement.').max(200),
  type: z.enum(['time_and_materials', 'fixed_price', 'retainer'], 'Choose the kind of engagement.'),
  currency: z.enum(currencyCodes, 'Choose a currency.'),
  startsOn: day,
  endsOn: day.or(z.literal('')).optional(),
  leadEmail: z.email('Enter the lead’s email.'),
  budgetHours: z.coerce.number('Enter the budget in hours.').int('Whole hours.').min(0).max(100_000),
  budget: z.string().trim().min(1, 'Enter the budget in money.').max(20),
  /** Days the customer has to accept a delivered milestone before it is accepted passively. */
  acceptanceDays: z.coerce.number('Enter the acceptance days.').int('Whole days.').min(1).max(90).default(10),
  /** One person per line: email, rate role, cost rate per hour ("ana@ggml.example engineer 95.00"). */
  team: z.string().max(5000).default(''),
})

/** The services lead opens an engagement for a customer: its terms, lead, team and budget. A draft. */
export async function createEngagement(actor: Actor, input: z.input<typeof engagementSchema>) {
  assertCanAsStaff(actor, 'services.manage')
  const f = parseInput(engagementSchema, input)
  const fields: Record<string, string[]> = {}
  if (f.endsOn && f.endsOn < f.startsOn) fields.endsOn = ['The end is on or after the start.']
  const customer = await unscopedDb('staff view').organization.findUnique({ where: { id: f.organizationId } })
  if (!customer || !engagementCustomerKinds.includes(customer.kind))
    fields.organizationId = ['Choose a customer: an OEM partner, an enterprise or a services client.']
  let budgetMinor = 0n
  try {
    budgetMinor = parseDecimal(f.budget, minorDigits(f.currency))
    if (budgetMinor < 0n) fields.budget = ['Enter zero or more.']
  } catch (e) {
    fields.budget = [decimalMessage(e)]
  }
  const staffUser = (email: string) =>
    unscopedDb('staff view').user.findFirst({
      where: { email: email.toLowerCase(), memberships: { some: { organization: { kind: 'ggml' } } } },
      select: { id: true, email: true },
    })
  const lead = await staffUser(f.leadEmail)
  if (!lead) fields.leadEmail = ['The lead is a ggml staff member; no staff account has this email.']
  const team: { userId: string; rateRole: string; costRateMinor: bigint }[] = []
  for (const [i, line] of f.team
    .split('\n')
    .map((l) => l.trim())
    .entries()) {
    if (!line) continue
    const [email, rateRole, cost] = line.split(/\s+/)
    const person = email ? await staffUser(email) : null
    let costRateMinor = -1n
    try {
      costRateMinor = parseDecimal(cost ?? '', minorDigits(f.currency))
    } catch {
      /* reported below */
    }
    if (!person || !rateRole || !/^[a-z_]{2,40}$/.test(rateRole) || costRateMinor < 0n)
      (fields.team ??= []).push(
        `Line ${i + 1}: write “email role cost-per-hour”, like “ana@ggml.example engineer 95.00”, for a staff member.`,
      )
    else if (!team.some((t) => t.userId === person.id)) team.push({ userId: person.id, rateRole, costRateMinor })
  }
  if (Object.keys(fields).length) throw new AppError('invalid_input', 'Check the engagement.', fields)
  const id = newId()
  await unscopedDb('staff view').$transaction(async (tx) => {
    await tx.engagement.create({
      data: {
        id,
        organizationId: customer!.id,
        title: f.title,
        type: f.type,
        currency: f.currency,
        startsOn: new Date(`${f.startsOn}T00:00:00Z`),
        endsOn: f.endsOn ? new Date(`${f.endsOn}T00:00:00Z`) : null,
        leadId: lead!.id,
        budgetMinutes: f.budgetHours * 60,
        budgetMinor,
        acceptanceDays: f.acceptanceDays,
        createdById: actor.userId,
        members: { create: team },
        // Version 1 of the budget and scope is the statement of work itself.
        changeOrders: {
          create: {
            id: newId(),
            version: 1,
            budgetMinutes: f.budgetHours * 60,
            budgetMinor,
            endsOn: f.endsOn ? new Date(`${f.endsOn}T00:00:00Z`) : null,
            scope: 'Statement of work',
            status: 'approved',
            proposedById: actor.userId,
            decidedById: actor.userId,
            decidedAt: now(),
          },
        },
      },
    })
    await recordAuditEvent(tx, {
      actor: auditActorOf({ actor }),
      organizationId: customer!.id,
      action: 'engagement.create',
      targetType: 'engagement',
      targetId: id,
      changes: { title: f.title, type: f.type, budgetMinor: budgetMinor.toString(), budgetHours: f.budgetHours },
    })
  })
  return { id }
}
