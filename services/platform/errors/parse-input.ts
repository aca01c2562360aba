import type { z } from 'zod'
import { AppError } from './app-error.ts'

export const INVALID_INPUT_MESSAGE = 'Some fields are missing or invalid.'

/**
 * Zod's issues as field errors, keyed by the full dotted path (`hours.3`, `terms.tiers.0.rate`), the
 * one keying every form and the API use (issue 27); an issue about the whole value is keyed `form`.
 */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const fieldErrors: Record<string, string[]> = {}
  for (const issue of error.issues) (fieldErrors[issue.path.join('.') || 'form'] ??= []).push(issue.message)
  return fieldErrors
}

/**
 * A field that was not sent at all (an unchosen select, a tampered form, a JSON body without it) is
 * named in words, not as zod's "expected string, received undefined"; a schema's own message still wins.
 */
export const requiredInWords = (issue: { code?: string; input?: unknown }) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'This field is required.' : undefined

/**
 * A use case's input that failed its schema: the message names each field (an API client or a log reads
 * it whole), while a form shows INVALID_INPUT_MESSAGE above the fields that carry their own messages.
 */
export class InvalidInput extends AppError {
  constructor(fieldErrors: Record<string, string[]>) {
    const each = Object.entries(fieldErrors).map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    super('invalid_input', `${INVALID_INPUT_MESSAGE} ${each.join('; ')}`, fieldErrors)
  }
}

/**
 * Checks what a caller handed a use case. A bad value is the caller's mistake, so it is the app's own
 * error (422 with field messages), never a raw ZodError that an API body would turn into a 500.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input, { error: requiredInWords })
  if (!result.success) throw new InvalidInput(fieldErrorsOf(result.error))
  return result.data
}
