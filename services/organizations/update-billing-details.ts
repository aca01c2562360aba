import { z } from 'zod'
import { auditActorOf, recordAuditEvent } from '../platform/audit/record-audit-event.ts'
import { unscopedDb } from '../platform/db/unscoped.ts'
import { AppError } from '../platform/errors/app-error.ts'
import { assertCan, type TenantScope } from '../tenancy/tenant-guard.ts'

// One line of plain text: no control characters (a NUL cannot even be stored) and no direction overrides or
// isolates, which would print a document's name or address in an order other than the one typed.
const line = /^[^\p{Cc}\u202a-\u202e\u2066-\u2069]*$/u

export const billingDetailsSchema = z.object({
  legalName: z
    .string()
    .trim()
    .min(2, 'Enter the legal name, as registered (e.g. Example Devices GmbH).')
    .max(200, 'Keep the legal name under 200 characters.')
    .regex(line, 'The legal name is one line of plain text, without control or direction characters.'),
  billingAddress: z
    .string()
    .transform((a) =>
      a
        .replaceAll('\r', '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z
            .string()
            .max(120, 'Keep each address line under 120 characters.')
            .regex(line, 'Write the address as plain text, without control or direction characters.'),
        )
        .min(2, 'Enter the postal address: street, then postcode and city, then country, one per line.')
        .max(6, 'Use at most 6 lines for the address.'),
    )
    .transform((lines) => lines.join('\n')),
  taxId: z
    .string()
    .trim()
    .toUpperCase()
    .max(40, 'A tax id is at most 40 characters.')
    .regex(/^[A-Z0-9 .\-/]*$/, 'Enter the tax id as issued: letters, digits, spaces, dots, dashes or slashes.'),
})

/** The organization's admin or finance person keeps what its documents bill to; audited with what changed. */
export async function updateBillingDetails(scope: TenantScope, input: z.input<typeof billingDetailsSchema>) {
  assertCan(scope, 'billing_details.edit')
  const parsed = billingDetailsSchema.safeParse(input)
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {}
    for (const i of parsed.error.issues) (fieldErrors[String(i.path[0] ?? 'form')] ??= []).push(i.message)
    throw new AppError('invalid_input', 'Check the billing details.', fieldErrors)
  }
  const next = { ...parsed.data, taxId: parsed.data.taxId || null }
  await unscopedDb('in scope').$transaction(async (tx) => {
    const before = await tx.organization.findUniqueOrThrow({
      where: { id: scope.organization.id },
      select: { legalName: true, billingAddress: true, taxId: true },
    })
    await tx.organization.update({ where: { id: scope.organization.id }, data: next })
    await recordAuditEvent(tx, {
      actor: auditActorOf(scope),
      organizationId: scope.organization.id,
      action: 'organization.billing_details',
      targetType: 'organization',
      targetId: scope.organization.id,
      changes: { before, after: next },
    })
  })
}
