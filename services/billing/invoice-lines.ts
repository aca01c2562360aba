import { z } from 'zod'

// Invoice.lines (a JSON column): each item as issue-invoice wrote it, the amount in minor units as text.
const invoiceLinesSchema = z.array(z.object({ description: z.string(), amountMinor: z.string() }))

export type InvoiceLine = z.infer<typeof invoiceLinesSchema>[number]

/** The stored lines of an invoice, parsed at read (issue 27). */
export const readInvoiceLines = (stored: unknown): InvoiceLine[] => invoiceLinesSchema.parse(stored)
