import { data } from 'react-router'
import { z } from 'zod'
import { findNulPath, isAppError, NUL_MESSAGE } from '#services/platform/errors/app-error.ts'
import {
  fieldErrorsOf,
  INVALID_INPUT_MESSAGE,
  InvalidInput,
  requiredInWords,
} from '#services/platform/errors/parse-input.ts'

/**
 * What a failed submit sends back to its form. Field errors are keyed by the field's full dotted name
 * (`hours.3`), the same key the form's input carries, so a message always finds its field (issue 27).
 * `form` names which form on the page was sent (PostForm's `formKey`), so a page of many forms marks
 * only the one the person used.
 */
export interface FormErrors {
  formError?: string
  fieldErrors?: Record<string, string[]>
  form?: string
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; errors: FormErrors }

/** The hidden field PostForm sends with its `formKey`. */
export const FORM_KEY_FIELD = '_form'

export async function parseForm<S extends z.ZodType>(request: Request, schema: S): Promise<Parsed<z.output<S>>> {
  const form = Object.fromEntries(await request.formData())
  return parseValues(form, schema)
}

export function parseValues<S extends z.ZodType>(values: unknown, schema: S): Parsed<z.output<S>> {
  const form = formKeyOf(values)
  const nul = findNulPath(values)
  if (nul) return { ok: false, errors: { formError: NUL_MESSAGE, fieldErrors: { [nul]: [NUL_MESSAGE] }, form } }
  const result = schema.safeParse(values, { error: requiredInWords })
  if (result.success) return { ok: true, data: result.data }
  return { ok: false, errors: { formError: INVALID_INPUT_MESSAGE, fieldErrors: fieldErrorsOf(result.error), form } }
}

/** Which of the page's forms was sent (PostForm's formKey), from the submitted values. */
export const formKeyOf = (values: unknown): string | undefined => {
  if (values instanceof FormData) return formKeyOf(Object.fromEntries(values))
  const key = values && typeof values === 'object' ? (values as Record<string, unknown>)[FORM_KEY_FIELD] : undefined
  return typeof key === 'string' && key.length <= 100 ? key : undefined
}

/** Field errors go back to the form with 422; domain errors keep their own status and message. */
export const invalid = (errors: FormErrors, status = 422) => data({ errors }, { status })

/** Which form on the page was sent, and what else the page needs back with the errors (the email typed). */
export interface Refusal<E extends object> {
  form?: string
  with?: E
}

/** A domain error (or a zod check) back to the form, keyed the one way; anything else is a real failure. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export function fromAppError<E extends object = {}>(error: unknown, refusal: Refusal<E> = {}) {
  const { form, with: extra } = refusal
  const errors: FormErrors | null =
    error instanceof z.ZodError
      ? { formError: INVALID_INPUT_MESSAGE, fieldErrors: fieldErrorsOf(error), form }
      : isAppError(error)
        ? {
            // A schema's refusal names every field in its message; the form shows those beside the fields.
            formError: error instanceof InvalidInput ? INVALID_INPUT_MESSAGE : error.message,
            fieldErrors: error.fieldErrors,
            form,
          }
        : null
  if (!errors) throw error
  const status = isAppError(error) ? error.status : 422
  return data({ ...(extra as E), errors }, { status })
}

/**
 * The one tail of a form action: runs the use case and hands its AppError back to the form as field
 * errors. Replaces each route's own try/catch (issue 27).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export async function attempt<R, E extends object = {}>(run: () => Promise<R> | R, refusal: Refusal<E> = {}) {
  try {
    return await run()
  } catch (e) {
    return fromAppError(e, refusal)
  }
}

/**
 * One form action: reads the form, checks it against `schema`, runs the use case with the parsed
 * values, and answers bad input or the use case's AppError with field errors for the form.
 */
export async function formAction<S extends z.ZodType, R>(
  request: Request,
  schema: S,
  run: (values: z.output<S>, form: FormData) => Promise<R> | R,
) {
  const form = await request.formData()
  const parsed = parseValues(Object.fromEntries(form), schema)
  if (!parsed.ok) return invalid(parsed.errors)
  return attempt(() => run(parsed.data, form), { form: formKeyOf(Object.fromEntries(form)) })
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
