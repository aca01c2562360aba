import { AppError } from '../errors/app-error.ts'
import { canAsStaff, type Actor } from '../identity/actor.ts'
import type { Permission } from '../identity/permissions.ts'

/** The program is run by ggml staff across contributors: the permission must be held platform-wide. */
export function assertStaffCan(actor: Actor, permission: Permission): void {
  if (!canAsStaff(actor, permission))
    throw new AppError('forbidden', `You do not have permission to do this (${permission}).`)
}

/** US dollars for people: -$1,234.50. */
export function usd(minor: bigint): string {
  const a = minor < 0n ? -minor : minor
  return `${minor < 0n ? '-' : ''}$${(a / 100n).toLocaleString('en-US')}.${(a % 100n).toString().padStart(2, '0')}`
}
