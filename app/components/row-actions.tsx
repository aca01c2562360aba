import type { ReactNode } from 'react'
import { Button, PostForm, type FormErrors } from './ui.tsx'

export type HiddenValues = Record<string, string | number | null | undefined | false>

/** The hidden inputs that tell a route's action what a row's button is about; empty values are left out. */
export function HiddenFields({ values }: { values: HiddenValues }) {
  return (
    <>
      {Object.entries(values).map(([name, value]) =>
        value === null || value === undefined || value === false || value === '' ? null : (
          <input key={name} type="hidden" name={name} value={String(value)} />
        ),
      )}
    </>
  )
}

/** A row's buttons, side by side. */
export function RowActions({ children }: { children: ReactNode }) {
  return <div className="actions-row">{children}</div>
}

/**
 * One button that posts a row's hidden fields to the page's action: Retry, Revoke, Re-enable. Given the
 * action's `errors` and a `formKey` for the row, a refusal shows on this row's form only.
 */
export function RowAction({
  fields,
  label,
  variant = 'secondary',
  ariaLabel,
  errors,
  formKey,
  children,
}: {
  fields: HiddenValues
  label: ReactNode
  variant?: 'primary' | 'secondary' | 'danger'
  ariaLabel?: string
  errors?: FormErrors
  formKey?: string
  /** Inputs shown before the button (a reason, a confirmation). */
  children?: ReactNode
}) {
  return (
    <PostForm className={children ? 'row' : undefined} errors={errors} formKey={formKey}>
      <HiddenFields values={fields} />
      {children}
      <Button type="submit" variant={variant} aria-label={ariaLabel}>
        {label}
      </Button>
    </PostForm>
  )
}
