import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { isAppError } from './app-error.ts'
import { INVALID_INPUT_MESSAGE, parseInput } from './parse-input.ts'

const week = z.object({
  task: z.string().min(2, 'Name the task.'),
  hours: z.array(z.string().regex(/^\d+$/, 'Whole hours.')).length(2),
  terms: z.object({ rate: z.number() }),
})

/** What parseInput throws for `input`. */
function refusal(input: unknown, schema: z.ZodType = week): Error & { fieldErrors: Record<string, string[]> } {
  try {
    parseInput(schema, input)
  } catch (e) {
    return e as Error & { fieldErrors: Record<string, string[]> }
  }
  throw new Error('parseInput accepted the input')
}

describe('parseInput (issue 27: a caller’s bad input is the app’s own error)', () => {
  it('answers a bad value with an invalid_input AppError (a 422), never a raw ZodError', () => {
    const e = refusal({ task: 'x', hours: ['1', '2'], terms: { rate: 1 } })
    expect(isAppError(e)).toBe(true)
    expect(e).toMatchObject({ code: 'invalid_input', status: 422 })
  })

  it('keys each message by the full dotted path, the name the form’s input carries', () => {
    const e = refusal({ task: 'Profile', hours: ['25', 'abc x'], terms: {} })
    expect(e.fieldErrors).toEqual({
      'hours.1': ['Whole hours.'],
      'terms.rate': ['This field is required.'],
    })
  })

  it('names every field in its message, for an API client or a log that reads it whole', () => {
    const e = refusal({ hours: [] })
    expect(e.message.startsWith(INVALID_INPUT_MESSAGE)).toBe(true)
    expect(e.message).toContain('task: This field is required.')
    expect(e.message).toContain('hours:')
  })

  it('hands back the parsed value when it is fine', () => {
    expect(parseInput(week, { task: 'Profile', hours: ['1', '2'], terms: { rate: 3 } }).terms.rate).toBe(3)
  })

  it('keys an issue about the whole value as "form"', () => {
    expect(Object.keys(refusal(42, z.string()).fieldErrors)).toEqual(['form'])
  })
})
