import { z } from 'zod'

/** POST /api/v1/reports as JSON: the route validates with it and the OpenAPI document publishes it. */
export const reportJsonBodySchema = z.object({
  contractId: z.string().min(1).describe('The signed contract the report is for.'),
  period: z.string().min(1).describe('The reporting period: a quarter (2027-Q1) or a month (2027-03).'),
  restatement: z.boolean().optional().describe('Replace the period’s current report with this one.'),
  lines: z
    .array(z.record(z.string(), z.union([z.string(), z.number()])))
    .max(200_000, 'Send at most 200,000 lines as JSON; larger reports as text/csv.')
    .describe('One object per line, keyed by the column names of the report template (or your mapping).'),
})
