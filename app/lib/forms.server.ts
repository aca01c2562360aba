import { data } from 'react-router'
import { z } from 'zod'
import { findNulPath, isAppError, NUL_MESSAGE } from '#services/errors/app-error.ts'

export interface FormErrors {
  formError?: string
  fieldErrors?: Record<string, string[]>
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FormErrors }

export async function parseForm<S extends z.ZodType>(request: Request, schema: S): Promise<Parsed<z.output<S>>> {
  const form = Object.fromEntries(await request.formData())
  return parseValues(form, schema)
}

export function parseValues<S extends z.ZodType>(values: unknown, schema: S): Parsed<z.output<S>> {
  const nul = findNulPath(values)
  if (nul) return { ok: false, errors: { formError: NUL_MESSAGE, fieldErrors: { [nul]: [NUL_MESSAGE] } } }
  // A field the form did not send (an unchosen select, a tampered form) is named in words, not as zod's
  // "expected string, received undefined"; a schema's own message still wins.
  const result = schema.safeParse(values, {
    error: (issue) =>
      issue.code === 'invalid_type' && issue.input === undefined ? 'This field is required.' : undefined,
  })
  if (result.success) return { ok: true, data: result.data }
  const fieldErrors: Record<string, string[]> = {}
  for (const issue of result.error.issues) {
    const key = issue.path.join('.') || 'form'
    ;(fieldErrors[key] ??= []).push(issue.message)
  }
  return { ok: false, errors: { formError: 'Please correct the highlighted fields.', fieldErrors } }
}

/** Field errors go back to the form with 422; domain errors keep their own status and message. */
export const invalid = (errors: FormErrors, status = 422) => data({ errors }, { status })

/** A domain error (or a service's own zod check) back to the form; anything else is a real failure. */
export function fromAppError(error: unknown) {
  if (error instanceof z.ZodError) {
    const fieldErrors: Record<string, string[]> = {}
    for (const i of error.issues) (fieldErrors[String(i.path[0] ?? 'form')] ??= []).push(i.message)
    return data({ errors: { formError: 'Please correct the highlighted fields.', fieldErrors } }, { status: 422 })
  }
  if (!isAppError(error)) throw error
  return data({ errors: { formError: error.message, fieldErrors: error.fieldErrors } }, { status: error.status })
}

/** For loaders: an AppError becomes an HTTP error response rendered by the error boundary. */
export function rethrowAsResponse(error: unknown): never {
  if (isAppError(error)) throw data(error.message, { status: error.status })
  throw error
}

/** A form's text fields (file inputs left out), for parseValues. */
export const stringFields = (form: FormData): Record<string, string> =>
  Object.fromEntries([...form].filter((e): e is [string, string] => typeof e[1] === 'string'))

/** A file input's upload, or undefined when the field was left empty. */
export async function uploadedFile(
  form: FormData,
  field: string,
): Promise<{ name: string; bytes: Uint8Array } | undefined> {
  const f = form.get(field)
  return f instanceof File && f.size > 0 ? { name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) } : undefined
}
