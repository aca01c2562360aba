import { useId, type ReactNode } from 'react'
import { Form, type FormProps } from 'react-router'
import { CsrfInput } from './csrf-input.tsx'

export interface FormErrors {
  formError?: string
  fieldErrors?: Record<string, string[]>
}

/** A POST form that carries the CSRF token. */
export function PostForm({ children, ...props }: FormProps) {
  return (
    <Form method="post" {...props}>
      <CsrfInput />
      {children}
    </Form>
  )
}

export function Field(props: {
  label: string
  name: string
  type?: string
  defaultValue?: string
  autoComplete?: string
  required?: boolean
  hint?: string
  errors?: FormErrors
  /** Where the cursor goes when the field appears after a step (the password after the email). */
  autoFocus?: boolean
}) {
  const id = useId()
  const errs = props.errors?.fieldErrors?.[props.name]
  const describedBy =
    [props.hint ? `${id}-hint` : '', errs?.length ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.hint && (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        defaultValue={props.defaultValue}
        autoComplete={props.autoComplete}
        required={props.required}
        autoFocus={props.autoFocus}
        aria-invalid={errs?.length ? true : undefined}
        aria-describedby={describedBy}
      />
      {errs?.length ? (
        <p id={`${id}-error`} className="field-error">
          {errs.join(' ')}
        </p>
      ) : null}
    </div>
  )
}

export function SelectField(props: {
  label: string
  name: string
  options: { value: string; label: string }[]
  defaultValue?: string
  errors?: FormErrors
}) {
  const id = useId()
  const errs = props.errors?.fieldErrors?.[props.name]
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        defaultValue={props.defaultValue}
        aria-invalid={errs?.length ? true : undefined}
        aria-describedby={errs?.length ? `${id}-error` : undefined}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {errs?.length ? (
        <p id={`${id}-error`} className="field-error">
          {errs.join(' ')}
        </p>
      ) : null}
    </div>
  )
}

export function FileField(props: { label: string; name: string; accept?: string; errors?: FormErrors }) {
  const id = useId()
  const errs = props.errors?.fieldErrors?.[props.name]
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="file"
        name={props.name}
        accept={props.accept}
        aria-invalid={errs?.length ? true : undefined}
        aria-describedby={errs?.length ? `${id}-error` : undefined}
      />
      {errs?.length ? (
        <p id={`${id}-error`} className="field-error">
          {errs.join(' ')}
        </p>
      ) : null}
    </div>
  )
}

export function FormError({ errors }: { errors?: FormErrors }) {
  if (!errors?.formError) return null
  return (
    <div className="alert alert-error" role="alert">
      {errors.formError}
    </div>
  )
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="alert alert-info" role="status">
      {children}
    </div>
  )
}

export function Button({
  children,
  variant = 'primary',
  ...props
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' }) {
  return (
    <button className={`btn btn-${variant}`} {...props}>
      {children}
    </button>
  )
}

export function PageHeader({ title, subtitle, actions }: { title: string; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {subtitle && <p className="subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="actions">{actions}</div>}
    </header>
  )
}

export function Card({ title, children }: { title?: string; children: ReactNode }) {
  return (
    <section className="card">
      {title && <h2>{title}</h2>}
      {children}
    </section>
  )
}

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: ReactNode }) {
  return (
    <div className="stat">
      <div className="stat-value">{value}</div>
      <div className="stat-label">{label}</div>
      {hint && <div className="hint">{hint}</div>}
    </div>
  )
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>
}

/** A relative difference as people read it: +2.2%, −0.4%. */
export const signedPercent = (x: number) => `${x >= 0 ? '+' : '−'}${(Math.abs(x) * 100).toFixed(1)}%`
