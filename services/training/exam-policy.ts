import { z } from 'zod'

/** An exam's blueprint as stored: domain → number of items per form. */
export const blueprintSchema = z.record(z.string().min(1), z.number().int().min(1).max(100))
export type Blueprint = z.infer<typeof blueprintSchema>

export const formSize = (blueprint: Blueprint) => Object.values(blueprint).reduce((a, b) => a + b, 0)

/** A choice as stored on an item version. */
export const choicesSchema = z
  .array(z.object({ id: z.string().min(1), text: z.string().min(1) }))
  .min(2)
  .max(8)
export type Choice = z.infer<typeof choicesSchema>[number]

export const addMonths = (d: Date, months: number) => {
  const out = new Date(d)
  out.setUTCMonth(out.getUTCMonth() + months)
  return out
}
