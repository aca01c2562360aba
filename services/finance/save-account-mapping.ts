import { z } from 'zod'
import { recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { LedgerAccountType as accountTypes } from '../platform/db/generated/enums.ts'
import type { LedgerAccountType } from '../platform/db/generated/enums.ts'
import { AppError } from '../platform/errors/app-error.ts'
import type { Actor } from '../identity/actor.ts'
import { now } from '../platform/clock.ts'
import { allPartnersScope } from '../tenancy/tenant-guard.ts'

const account = z.object({
  code: z
    .string()
    .trim()
    .max(10, 'Xero account codes are at most 10 characters.')
    .regex(/^([A-Za-z0-9][A-Za-z0-9._-]*)?$/, 'Use letters, digits, dots and dashes, like 4000 or 1100-AR.'),
  name: z
    .string()
    .trim()
    .max(100, 'QuickBooks Online account names are at most 100 characters.')
    // eslint-disable-next-line no-control-regex
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'Use a single line of text.')
    // The files quote a cell starting with = + - @ against spreadsheet formulas, and QuickBooks would then
    // import the quote as part of the name and match no account (issue 32 attack review).
    .refine((name) => !/^[=+\-@]/.test(name), 'Start the name with a letter or digit, not = + - or @.'),
})

const isAccountType = (t: string): t is LedgerAccountType => Object.hasOwn(accountTypes, t)
/** The mapping's entries in its own order, each keyed by its account type. */
const typedEntries = <T>(m: Partial<Record<LedgerAccountType, T>>): [LedgerAccountType, T][] =>
  Object.entries(m).flatMap(([t, a]) => (isAccountType(t) && a !== undefined ? [[t, a]] : []))

/** Per ledger account type, finance's code and name; both empty leaves (or makes) the account unmapped. */
export const accountMappingSchema = z.record(z.enum(accountTypes), account).superRefine((m, ctx) => {
  const entries = typedEntries(m)
  for (const [type, a] of entries) {
    if (!a.code !== !a.name)
      ctx.addIssue({
        code: 'custom',
        path: [type, a.code ? 'name' : 'code'],
        message: 'Give both the code and the name, or neither to leave the account unmapped.',
      })
  }
  // Two ledger accounts may post to one account of the books, but then under one code and one name:
  // Xero reads the code and QuickBooks the name, and the two files must mean the same account.
  for (const [type, a] of entries) {
    if (!a.code) continue
    const clash = entries.find(
      ([t, b]) => t !== type && b.code && (b.code === a.code) !== (b.name.toLowerCase() === a.name.toLowerCase()),
    )
    if (clash)
      ctx.addIssue({
        code: 'custom',
        path: [type, 'code'],
        message:
          `${clash[1].code} ${clash[1].name} (for ${clash[0]}) shares only the code or only the name ` +
          'with this one.',
      })
  }
})

/** Finance maps the platform's ledger accounts to its chart of accounts once (issue 32); audited. */
export async function saveAccountMapping(actor: Actor, input: unknown): Promise<{ mapped: number }> {
  const { db } = allPartnersScope(actor, 'finance.map_accounts')
  const parsed = accountMappingSchema.safeParse(input)
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {}
    for (const i of parsed.error.issues) (fieldErrors[i.path.join('.') || 'form'] ??= []).push(i.message)
    throw new AppError('invalid_input', 'Please correct the highlighted accounts.', fieldErrors)
  }
  const entries = typedEntries(parsed.data)
  return db.$transaction(async (tx) => {
    const before = new Map((await tx.accountingAccountMapping.findMany()).map((r) => [r.accountType, r]))
    const changes: Record<string, { from: string | null; to: string | null }> = {}
    for (const [type, a] of entries) {
      const was = before.get(type)
      const from = was ? `${was.code} ${was.name}` : null
      const to = a.code ? `${a.code} ${a.name}` : null
      if (from === to) continue
      changes[type] = { from, to }
      if (!a.code) await tx.accountingAccountMapping.delete({ where: { accountType: type } })
      else
        await tx.accountingAccountMapping.upsert({
          where: { accountType: type },
          create: { accountType: type, code: a.code, name: a.name, updatedById: actor.userId, updatedAt: now() },
          update: { code: a.code, name: a.name, updatedById: actor.userId, updatedAt: now() },
        })
    }
    if (Object.keys(changes).length)
      await recordAuditEvent(tx, {
        actor: { userId: actor.userId, email: actor.email },
        organizationId: null,
        action: 'accounting.map_accounts',
        targetType: 'chart_of_accounts',
        targetId: null,
        changes,
      })
    return { mapped: await tx.accountingAccountMapping.count() }
  })
}
