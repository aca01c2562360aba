import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { newId } from '../platform/db/ids.ts'
import type { Tx } from '../platform/db/client.ts'
import { mailEach } from '../engagements/notify.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { now } from '../platform/clock.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'
import { addMonths } from './exam-policy.ts'
import { VOUCHER_MONTHS } from './fulfil-checkout.ts'
import { parseInput } from '../platform/errors/parse-input.ts'

export const assignSeatSchema = z.object({
  packId: z.string().min(1).max(64),
  email: z.email('Enter the employee’s email.').transform((e) => e.toLowerCase()),
})

/** A seat's enrolment and voucher, for a member of the company (now, or when they join it). */
async function grantSeat(tx: Tx, seat: { id: string; organizationId: string; packId: string }, userId: string) {
  const pack = await tx.trainingSeatPack.findUniqueOrThrow({ where: { id: seat.packId } })
  await tx.enrolment.upsert({
    where: { userId_courseId: { userId, courseId: pack.courseId } },
    create: { id: newId(), organizationId: seat.organizationId, userId, courseId: pack.courseId, source: 'seat' },
    update: {},
  })
  await tx.examVoucher.create({
    data: {
      id: newId(),
      organizationId: seat.organizationId,
      examId: pack.examId,
      userId,
      seatId: seat.id,
      expiresAt: addMonths(now(), VOUCHER_MONTHS),
    },
  })
  await tx.trainingSeat.update({ where: { id: seat.id }, data: { userId } })
}

/**
 * The company's admin gives a seat to a member by email, or to an address at one of the company's verified
 * domains (they get it when they join). The pack's count is checked under a lock on the pack, so two admins
 * at once cannot hand out more seats than were bought; a pack still waiting for finance gives none.
 */
export async function assignSeat(scope: TenantScope, input: z.input<typeof assignSeatSchema>) {
  assertCan(scope, 'training.manage_seats')
  const data = parseInput(assignSeatSchema, input)
  return scope.db.$transaction(async (tx) => {
    const pack = await tx.trainingSeatPack.findFirst({ where: { id: data.packId } })
    if (!pack) throw new AppError('not_found', 'No such seat pack.')
    if (pack.status !== 'approved')
      throw new AppError('conflict', 'This seat pack is waiting for ggml finance to approve its price.')
    await tx.$queryRaw`SELECT 1 FROM "TrainingSeatPack" WHERE "id" = ${pack.id} FOR UPDATE`
    const held = await tx.trainingSeat.findMany({ where: { packId: pack.id, releasedAt: null } })
    if (held.some((s) => s.email === data.email)) throw new AppError('conflict', `${data.email} has a seat already.`)
    const used = await tx.examVoucher.count({ where: { seatId: { in: held.map((s) => s.id) } } })
    if (held.length >= pack.seats)
      throw new AppError('conflict', `All ${pack.seats} seats are assigned (${used} in use): take back an unused one.`)
    const member = await tx.membership.findFirst({
      // An active member: one the company's identity provider suspended (SCIM) is no longer its people.
      where: {
        organizationId: scope.organization.id,
        deactivatedAt: null,
        user: { email: data.email, disabledAt: null },
      },
      select: { userId: true },
    })
    // Seats go to the company's people only (issue 30): its members, or addresses at a domain it verified.
    const domain = data.email.slice(data.email.lastIndexOf('@') + 1)
    const ours = { organizationId: scope.organization.id, domain, verifiedAt: { not: null } }
    if (!member && !(await tx.organizationDomain.count({ where: ours })))
      throw new AppError('invalid_input', `${data.email} is not one of ${scope.organization.name}’s people.`, {
        email: [
          `Seats go to members of ${scope.organization.name} or to addresses at its verified domains; ` +
            `${domain} is not one of them.`,
        ],
      })
    const seat = await tx.trainingSeat.create({
      data: {
        id: newId(),
        organizationId: scope.organization.id,
        packId: pack.id,
        email: data.email,
        assignedAt: now(),
      },
    })
    if (member) await grantSeat(tx, seat, member.userId)
    await mailEach(
      tx,
      [data.email],
      `${scope.organization.name} gave you a GGML training seat`,
      [
        `${scope.organization.name} assigned you a seat: the course and one certification exam attempt.`,
        member ? 'It is in your training account now.' : 'Accept the invitation from your company’s admin to use it.',
      ],
      { label: 'Open your training', path: `/learn/${scope.organization.slug}` },
    )
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'training.seat_assign',
      targetType: 'training_seat',
      targetId: seat.id,
      changes: { email: data.email, pack: pack.id },
    })
    return seat
  })
}

/** When a person with a pending seat first opens their training in the company, the seat becomes theirs. */
export async function claimPendingSeats(scope: TenantScope) {
  const pending = await scope.db.trainingSeat.findMany({
    where: { email: scope.actor.email.toLowerCase(), userId: null, releasedAt: null },
  })
  if (!pending.length) return
  await scope.db.$transaction(async (tx) => {
    for (const seat of pending) {
      const claimed = await tx.trainingSeat.updateMany({
        where: { id: seat.id, userId: null, releasedAt: null },
        data: { userId: scope.actor.userId },
      })
      if (claimed.count) await grantSeat(tx, seat, scope.actor.userId)
    }
  })
}

export const releaseSeatSchema = z.object({ seatId: z.string().min(1).max(64) })

/** Takes back a seat whose voucher is unused: the voucher is revoked and the seat counts as free again. */
export async function releaseSeat(scope: TenantScope, input: z.input<typeof releaseSeatSchema>) {
  assertCan(scope, 'training.manage_seats')
  const { seatId } = parseInput(releaseSeatSchema, input)
  return scope.db.$transaction(async (tx) => {
    const seat = await tx.trainingSeat.findFirst({ where: { id: seatId, releasedAt: null } })
    if (!seat) throw new AppError('not_found', 'No such seat.')
    const voucher = await tx.examVoucher.findFirst({ where: { seatId } })
    if (voucher && voucher.status !== 'available')
      throw new AppError('conflict', 'This seat’s exam voucher is used: the seat cannot be taken back.')
    if (voucher) await tx.examVoucher.update({ where: { id: voucher.id }, data: { status: 'revoked' } })
    await tx.trainingSeat.update({ where: { id: seatId }, data: { releasedAt: now() } })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'training.seat_release',
      targetType: 'training_seat',
      targetId: seatId,
      changes: { email: seat.email },
    })
  })
}
