import {
  createContext,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react'
import { Form, type FormProps } from 'react-router'
import { CsrfInput } from './csrf-input.tsx'

// One form pattern for every form (issue 29): after a failed submit, an error summary at the top of the
// form takes focus and links to each field; each field carries its message, a red border, aria-invalid
// and aria-describedby; the typed values stay (the inputs are never remounted).

export interface FormErrors {
  formError?: string
  fieldErrors?: Record<string, string[]>
  /** The formKey of the form that was sent (app/lib/forms.server.ts). */
  form?: string
}

/** The hidden field that tells the action which of a page's forms was sent (FORM_KEY_FIELD). */
const FORM_KEY_FIELD = '_form'

const FormScope = createContext<{ formKey?: string; errors?: FormErrors }>({})

/** A field's DOM id while it has an error: the summary links to it, so both derive it from the name. */
export const fieldId = (name: string, formKey?: string) =>
  `field-${formKey ? `${formKey}-` : ''}${name}`.replace(/[^\w.-]/g, '_')

/** The errors meant for this form: a page of several forms shows them only on the one that was sent. */
function errorsFor(errors: FormErrors | undefined, formKey: string | undefined): FormErrors | undefined {
  return errors && errors.form === formKey ? errors : undefined
}

/**
 * A POST form that carries the CSRF token. Given `errors`, it shows the error summary at its top and
 * hands the errors to every field inside; `formKey` tells this form apart on a page of many.
 */
export function PostForm({
  children,
  errors,
  formKey,
  ...props
}: FormProps & { errors?: FormErrors; formKey?: string }) {
  const shown = errors ? errorsFor(errors, formKey) : undefined
  // The server answers every submit (issue 29: one behaviour), so the browser's own bubbles stay out.
  return (
    <Form method="post" noValidate {...props}>
      <CsrfInput />
      {formKey && <input type="hidden" name={FORM_KEY_FIELD} value={formKey} />}
      {/* Always the same tree, so a failed submit never remounts (and empties) the inputs. */}
      <FormScope.Provider value={{ formKey, errors: shown }}>
        <FormError errors={shown} />
        {children}
      </FormScope.Provider>
    </Form>
  )
}

/**
 * The id, aria attributes and message of one field. `errors` defaults to the enclosing PostForm's.
 * For inputs the shared components do not cover (a grid of hours, a terms editor).
 */
export function useFieldError(name: string, errors?: FormErrors) {
  const scope = useContext(FormScope)
  const autoId = useId()
  const messages = errorsFor(errors ?? scope.errors, scope.formKey)?.fieldErrors?.[name]
  const invalid = Boolean(messages?.length)
  const id = invalid ? fieldId(name, scope.formKey) : autoId
  return {
    id,
    invalid,
    message: invalid ? messages!.join(' ') : undefined,
    errorId: `${id}-error`,
    /** Spread on the input, select or textarea. */
    inputProps: {
      id,
      name,
      'aria-invalid': invalid ? (true as const) : undefined,
      'aria-describedby': invalid ? `${id}-error` : undefined,
    },
  }
}

/** A field's own message, under its input. */
export function FieldMessage({ field }: { field: ReturnType<typeof useFieldError> }) {
  return field.invalid ? (
    <span id={field.errorId} className="field-error field-message">
      {field.message}
    </span>
  ) : null
}

/** A bare input marked like every other field (a table cell, an inline control). */
export function Input({
  name,
  errors,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { name: string; errors?: FormErrors }) {
  const f = useFieldError(name, errors)
  return (
    <>
      <input {...props} {...f.inputProps} className={cx(props.className, f.invalid)} />
      <FieldMessage field={f} />
    </>
  )
}

export function Select({
  name,
  errors,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { name: string; errors?: FormErrors }) {
  const f = useFieldError(name, errors)
  return (
    <>
      <select {...props} {...f.inputProps} className={cx(props.className, f.invalid)} />
      <FieldMessage field={f} />
    </>
  )
}

export function TextArea({
  name,
  errors,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { name: string; errors?: FormErrors }) {
  const f = useFieldError(name, errors)
  return (
    <>
      <textarea {...props} {...f.inputProps} className={cx(props.className, f.invalid)} />
      <FieldMessage field={f} />
    </>
  )
}

const cx = (className: string | undefined, invalid: boolean) =>
  [className, invalid ? 'is-invalid' : ''].filter(Boolean).join(' ') || undefined

function LabelledField({
  label,
  hint,
  field,
  children,
}: {
  label: string
  hint?: string
  field: ReturnType<typeof useFieldError>
  children: ReactNode
}) {
  return (
    <div className="field">
      <label htmlFor={field.id}>{label}</label>
      {hint && (
        <p id={`${field.id}-hint`} className="hint">
          {hint}
        </p>
      )}
      {children}
      <FieldMessage field={field} />
    </div>
  )
}

const describedBy = (f: ReturnType<typeof useFieldError>, hint?: string) =>
  [hint ? `${f.id}-hint` : '', f.invalid ? f.errorId : ''].filter(Boolean).join(' ') || undefined

export function Field(props: {
  label: string
  name: string
  type?: string
  defaultValue?: string
  autoComplete?: string
  required?: boolean
  hint?: string
  errors?: FormErrors
}) {
  const f = useFieldError(props.name, props.errors)
  return (
    <LabelledField label={props.label} hint={props.hint} field={f}>
      <input
        {...f.inputProps}
        type={props.type ?? 'text'}
        defaultValue={props.defaultValue}
        autoComplete={props.autoComplete}
        required={props.required}
        aria-describedby={describedBy(f, props.hint)}
      />
    </LabelledField>
  )
}

export function SelectField(props: {
  label: string
  name: string
  options: { value: string; label: string }[]
  defaultValue?: string
  hint?: string
  errors?: FormErrors
}) {
  const f = useFieldError(props.name, props.errors)
  return (
    <LabelledField label={props.label} hint={props.hint} field={f}>
      <select {...f.inputProps} defaultValue={props.defaultValue} aria-describedby={describedBy(f, props.hint)}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </LabelledField>
  )
}

export function TextAreaField(props: {
  label: string
  name: string
  rows?: number
  placeholder?: string
  defaultValue?: string
  hint?: string
  errors?: FormErrors
}) {
  const f = useFieldError(props.name, props.errors)
  return (
    <LabelledField label={props.label} hint={props.hint} field={f}>
      <textarea
        {...f.inputProps}
        rows={props.rows}
        placeholder={props.placeholder}
        defaultValue={props.defaultValue}
        aria-describedby={describedBy(f, props.hint)}
      />
    </LabelledField>
  )
}

export function FileField(props: { label: string; name: string; accept?: string; hint?: string; errors?: FormErrors }) {
  const f = useFieldError(props.name, props.errors)
  return (
    <LabelledField label={props.label} hint={props.hint} field={f}>
      <input {...f.inputProps} type="file" accept={props.accept} aria-describedby={describedBy(f, props.hint)} />
    </LabelledField>
  )
}

/**
 * The error summary: what went wrong, then each field's message as a link to that field. It takes focus
 * on every failed submit, so the person (and their screen reader) starts where the problem is told.
 */
export function FormError({ errors, formKey }: { errors?: FormErrors; formKey?: string }) {
  const scope = useContext(FormScope)
  const key = formKey ?? scope.formKey
  const shown = errorsFor(errors, key)
  const ref = useRef<HTMLDivElement>(null)
  // Each field's label, read once the page is on screen, so a link says which field it is about.
  const [labels, setLabels] = useState<Record<string, string>>({})
  useEffect(() => {
    if (!shown) return
    ref.current?.focus()
    const found: Record<string, string> = {}
    for (const name of Object.keys(shown.fieldErrors ?? {})) {
      const el = document.getElementById(fieldId(name, key))
      const text = el?.getAttribute('aria-label') || labelText(el)
      if (text) found[name] = text
    }
    setLabels(found)
    // A new errors object is a new failed submit: focus again.
  }, [errors]) // eslint-disable-line react-hooks/exhaustive-deps
  if (!shown) return null
  const entries = Object.entries(shown.fieldErrors ?? {}).filter(([, m]) => m.length)
  if (!shown.formError && entries.length === 0) return null
  return (
    <div ref={ref} className="alert alert-error error-summary" role="alert" tabIndex={-1}>
      <p className="error-summary-title">{shown.formError ?? 'Some fields are missing or invalid.'}</p>
      {entries.length > 0 && (
        <ul>
          {entries.map(([name, messages]) => {
            const text = `${labels[name] ? `${labels[name]}: ` : ''}${messages.join(' ')}`
            return (
              <li key={name}>
                {name === 'form' ? (
                  text
                ) : (
                  <a href={`#${fieldId(name, key)}`} onClick={(e) => focusField(e, fieldId(name, key))}>
                    {text}
                  </a>
                )}
              </li>
            )
          })}
        </ul>
      )}
    </div>
  )
}

/** A link in the summary puts the cursor in its field, not only the field on screen. */
function focusField(e: React.MouseEvent, id: string) {
  const el = document.getElementById(id)
  if (!el) return
  e.preventDefault()
  el.focus()
  el.scrollIntoView({ block: 'center' })
}

/** A field's label as read, without the control or messages a wrapping label also holds. */
function labelText(el: HTMLElement | null): string | undefined {
  const label = (el as HTMLInputElement | null)?.labels?.[0]
  if (!label) return undefined
  const copy = label.cloneNode(true) as HTMLElement
  copy.querySelectorAll('input, select, textarea, .field-error, .hint').forEach((n) => n.remove())
  return copy.textContent?.trim() || undefined
}
