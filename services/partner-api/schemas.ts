import { z } from 'zod'

// The partner API's answers, as the OpenAPI document publishes them (app/lib/openapi.server.ts): the
// use cases build their answers through these, so the code and the contract are one thing.

const day = z.iso.date().describe('A calendar day, YYYY-MM-DD (UTC).')
const minor = z
  .string()
  .regex(/^-?\d+$/)
  .describe('An amount in the currency’s minor units (cents), as a decimal string: it may exceed 2^53.')
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .describe('ISO 4217 code.')

/** Every list: one page of items and the cursor of the next page (null on the last). */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as ?cursor= for the next page; null on the last page.'),
  })

export const apiInvoiceSchema = z.object({
  id: z.string(),
  number: z.string().nullable().describe('Stripe’s invoice number; null while the invoice is being issued.'),
  description: z.string(),
  status: z.enum(['open', 'paid', 'void', 'uncollectible']),
  currency,
  amountDueMinor: minor,
  amountPaidMinor: minor,
  amountRemainingMinor: minor.describe('Left to pay, after credit notes, balance and payments; 0 unless open.'),
  issuedOn: day.nullable(),
  dueOn: day.nullable(),
  paidAt: z.iso.datetime().nullable(),
  reportId: z.string().nullable().describe('The royalty report the invoice bills, if it bills one.'),
  hostedUrl: z.string().nullable().describe('Where the partner pays it (Stripe’s hosted page).'),
})

export const invoicePageSchema = pageSchema(apiInvoiceSchema)

export const apiReportSchema = z.object({
  id: z.string(),
  contractId: z.string(),
  period: z.string().describe('The reporting period, like 2027-Q1 or 2027-03.'),
  revision: z.number().int().min(1).describe('1 for the original; each restatement adds one.'),
  status: z.enum(['current', 'superseded']),
  source: z.enum(['csv', 'api', 'zero', 'period_close']),
  lineCount: z.number().int().min(0),
  unitsTotal: z.string().regex(/^\d+$/),
  revenueTotalMinor: minor,
  currency,
  posted: z.boolean().describe('Whether its charges were booked (a report of no charges posts nothing).'),
  receivedAt: z.iso.datetime(),
})

export const reportPageSchema = pageSchema(apiReportSchema)

export const apiBadgeSchema = z.object({
  id: z.string(),
  requestId: z.string(),
  productName: z.string(),
  sku: z.string(),
  label: z.string().describe('What it certifies, like "7B-class Q4_0 · tg 41.8 t/s · pp 612 t/s".'),
  assurance: z.string().describe('lab-verified, reviewed, runner-verified or held.'),
  standing: z.enum(['in force', 'expired', 'revoked']),
  issuedAt: z.iso.datetime(),
  validUntil: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
  url: z.string().describe('The badge’s public page.'),
})

export const badgePageSchema = pageSchema(apiBadgeSchema)

export const apiStatementLineSchema = z.object({
  currency,
  postedOn: day,
  servicePeriod: z.string().nullable().describe('The period it is for, when it is for one.'),
  kind: z.string(),
  description: z.string(),
  amountMinor: minor.describe('Signed change of what the partner owes.'),
})

export const statementPageSchema = z.object({
  period: z.string(),
  from: day,
  to: day.describe('Exclusive.'),
  accounts: z.array(
    z.object({
      currency,
      openingMinor: minor,
      chargesTotalMinor: minor.describe('Everything booked for the period’s service, restatements included.'),
      closingMinor: minor,
    }),
  ),
  data: z.array(apiStatementLineSchema).describe('The bookings dated in the period, one page of them.'),
  nextCursor: z.string().nullable(),
})
